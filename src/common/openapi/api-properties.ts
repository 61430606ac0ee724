import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

/**
 * Wire formats as OpenAPI patterns (ECMA-262 regular expressions), so a generated client can
 * check input before sending it. Each mirrors the validator that decides on the server; the
 * money and Idempotency-Key ones are tested against it (test/openapi-contract.e2e.spec.ts).
 */
export const PATTERNS = {
  /** A money amount sent to the API (DESIGN §3, Money.isWireAmount): at most 16 integer digits, 2 decimals. */
  moneyInput: '^(0|[1-9]\\d{0,15})(\\.\\d{1,2})?$',
  /** A money amount the API answers with: always exactly 2 decimals (Money.toString). */
  money: '^(0|[1-9]\\d*)\\.\\d{2}$',
  /** A difference or balance that may be negative. */
  signedMoney: '^-?(0|[1-9]\\d*)\\.\\d{2}$',
  /** Lower-case hex SHA-256. */
  sha256: '^[0-9a-f]{64}$',
  /** The Idempotency-Key header (requireIdempotencyKey, DESIGN §4). */
  idempotencyKey: '^[A-Za-z0-9._:-]{1,200}$',
  /** An e-mail address: the server applies the full check (class-validator's isEmail). */
  email: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
  currency: '^[A-Z]{3}$',
  /** A Postgres bigint, sent as text (it may not fit a JSON number). */
  bigint: '^(0|[1-9]\\d*)$',
  isoDate: '^\\d{4}-\\d{2}-\\d{2}$',
  /** The X-Custody-Signature header: sha256=<hex HMAC-SHA256 of the raw body>. */
  custodySignature: '^sha256=[0-9a-f]{64}$',
  /** A refresh, reset or verification token (account-secrets.ts OPAQUE_TOKEN): 32 random bytes. */
  opaqueToken: '^[A-Za-z0-9_-]{43}$',
  /** A TOTP code (RFC 6238, 6 digits). */
  totpCode: '^[0-9]{6}$',
  /**
   * A ledger account code (DESIGN §4): `custody:cash`, `investor:<uuid>:available`, and a line
   * wallet `investor:<uuid>:available:EQUITY` (PLAT-07), ...
   */
  accountCode: '^[a-z]+(:[0-9a-z-]+)+(:[A-Z]+)?$',
} as const;

type Extra = Omit<ApiPropertyOptions, 'type' | 'format' | 'pattern' | 'enum'>;

const property = (base: ApiPropertyOptions, extra: Extra, required = true): PropertyDecorator =>
  ApiProperty({ ...base, ...extra, required } as ApiPropertyOptions);

/** A money amount in a request body (DESIGN §3): a decimal string, never a JSON number. */
export const ApiMoneyInput = (
  extra: Extra & { allowZero?: boolean } = {},
  required = true,
): PropertyDecorator => {
  const { allowZero, ...rest } = extra;
  return property(
    {
      type: String,
      pattern: PATTERNS.moneyInput,
      example: '1000.00',
      description: allowZero
        ? 'Decimal string, >= 0, at most 16 integer digits and 2 decimals'
        : 'Decimal string, > 0, at most 16 integer digits and 2 decimals',
    },
    rest,
    required,
  );
};

/** A money amount in a response: a decimal string with exactly 2 decimals. */
export const ApiMoney = (
  extra: Extra = {},
  options: { signed?: boolean } = {},
): PropertyDecorator =>
  property(
    {
      type: String,
      pattern: options.signed ? PATTERNS.signedMoney : PATTERNS.money,
      example: '1500.00',
    },
    extra,
  );

export const ApiUuid = (extra: Extra = {}, required = true): PropertyDecorator =>
  property({ type: String, format: 'uuid' }, extra, required);

export const ApiDateTime = (extra: Extra = {}, required = true): PropertyDecorator =>
  property(
    { type: String, format: 'date-time', example: '2026-11-28T02:00:00.000Z' },
    extra,
    required,
  );

export const ApiInteger = (extra: Extra = {}, required = true): PropertyDecorator =>
  property({ type: 'integer' }, extra, required);

export const ApiSha256 = (extra: Extra = {}, required = true): PropertyDecorator =>
  property({ type: String, pattern: PATTERNS.sha256 }, extra, required);

export const ApiCurrency = (extra: Extra = {}): PropertyDecorator =>
  property({ type: String, pattern: PATTERNS.currency, example: 'CNY' }, extra);

/** A bigint counter or sequence number, as the database gives it: text. */
export const ApiBigint = (extra: Extra = {}, required = true): PropertyDecorator =>
  property({ type: String, pattern: PATTERNS.bigint, example: '42' }, extra, required);

/** An enum; when nullable, null is one of its values too (OpenAPI 3.0.3 §4.7.25.1). */
export const ApiEnum = (
  values: readonly string[],
  extra: Extra = {},
  required = true,
): PropertyDecorator =>
  property(
    { type: String, enum: extra.nullable ? [...values, null] : [...values] },
    extra,
    required,
  );

export const ApiBoolean = (extra: Extra = {}, required = true): PropertyDecorator =>
  property({ type: Boolean }, extra, required);
