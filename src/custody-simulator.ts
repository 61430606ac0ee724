import { createHmac, randomUUID } from 'node:crypto';
import { API_PREFIX } from './common/http/api-prefix.js';
import { Money } from './common/money/money.js';
import type { AppConfig } from './config/app-config.js';
import { resolveRulePack } from './config/rule-packs/rule-pack.js';
import { WALLET_LINES, type WalletLine } from './modules/escrow-ledger/wallet-lines.js';
import type {
  CUSTODY_NOTIFICATION_TYPES,
  CustodyNotificationDto,
} from './modules/escrow-ledger/dto/custody.dto.js';

/**
 * `npm run cli -- custody:simulate ...`: plays the custodian bank in development (PLAT-05). It
 * builds a notification exactly as the bank sends one (DESIGN §7: `POST /custody/notifications`,
 * `X-Custody-Signature: sha256=<hex HMAC-SHA256(raw body, CUSTODY_WEBHOOK_SECRET)>`), signs it with
 * the configured secret and posts it to a running service. Never in production: there the bank
 * alone moves money in and out of custody.
 */
type NotificationType = (typeof CUSTODY_NOTIFICATION_TYPES)[number];

/** The CLI's names for the notices, and the type each sends. */
export const SIMULATED_NOTICES: Record<string, NotificationType> = {
  deposit: 'DEPOSIT',
  'withdrawal-settled': 'WITHDRAWAL_SETTLED',
  'withdrawal-failed': 'WITHDRAWAL_FAILED',
  'payout-settled': 'PAYOUT_SETTLED',
  'payout-failed': 'PAYOUT_FAILED',
  repayment: 'REPAYMENT', // issue 14: a borrower's repayment of a loan (CN-P2P-*)
  distribution: 'DISTRIBUTION', // issue 15: an issuer funds an announced distribution
};

/** What each notice names: a user (deposit), a loan (repayment) or a held transfer (the rest). */
const TARGETS = {
  userId: { flag: '--user-id', what: 'the investor or founder' },
  loanId: { flag: '--loan-id', what: 'the loan repaid' },
  distributionId: { flag: '--distribution-id', what: 'the announced distribution' },
  transferId: { flag: '--transfer-id', what: 'the held withdrawal or payout transfer' },
} as const;
type Target = keyof typeof TARGETS;

function targetOf(type: NotificationType): Target {
  if (type === 'DEPOSIT') return 'userId';
  if (type === 'REPAYMENT') return 'loanId';
  if (type === 'DISTRIBUTION') return 'distributionId';
  return 'transferId';
}

export interface SimulateOptions {
  /** `deposit`, `withdrawal-settled`, ... (SIMULATED_NOTICES). */
  notice: string | undefined;
  userId?: string;
  loanId?: string;
  distributionId?: string;
  /** A deposit's wallet line (PLAT-07): GENERAL, EQUITY or DEBT; the service checks it's enabled. */
  line?: string;
  transferId?: string;
  amount?: string;
  bankReference?: string;
  currency?: string;
  occurredAt?: string;
  /** The service's origin; `http://localhost:<PORT>` by default. */
  url?: string;
}

export interface SimulationResult {
  url: string;
  sent: CustodyNotificationDto;
  status: number;
  response: unknown;
}

/** A request the simulator refuses before sending anything (the CLI exits with 2). */
export class SimulatorUsageError extends Error {}

export class ProductionRefusedError extends SimulatorUsageError {
  constructor() {
    super(
      'custody:simulate is refused when NODE_ENV=production: only the custodian bank moves money ' +
        'into or out of custody there.',
    );
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BANK_REFERENCE = /^[A-Za-z0-9._:-]{1,100}$/;

/** The header the custodian sends: `sha256=` and the hex HMAC-SHA256 of the exact body bytes. */
export function custodySignature(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** Checks the options and builds the notification; throws SimulatorUsageError naming the problem. */
export function buildNotification(
  options: SimulateOptions,
  defaults: { currency: string; now: Date },
): CustodyNotificationDto {
  const type =
    options.notice !== undefined && Object.hasOwn(SIMULATED_NOTICES, options.notice)
      ? SIMULATED_NOTICES[options.notice]
      : undefined;
  if (!type) {
    throw new SimulatorUsageError(
      `custody:simulate needs one of: ${Object.keys(SIMULATED_NOTICES).join(', ')}`,
    );
  }
  const target = targetOf(type);
  const id = options[target];
  if (!id || !UUID.test(id))
    throw new SimulatorUsageError(
      `${options.notice} needs ${TARGETS[target].flag} <uuid of ${TARGETS[target].what}>`,
    );
  for (const other of Object.keys(TARGETS) as Target[]) {
    if (other !== target && options[other] !== undefined)
      throw new SimulatorUsageError(
        `${options.notice} names ${TARGETS[target].what} (${TARGETS[target].flag}), not ${TARGETS[other].flag}`,
      );
  }
  if (
    options.line !== undefined &&
    !(type === 'DEPOSIT' && WALLET_LINES.some((l) => l === options.line))
  )
    throw new SimulatorUsageError('--line is for a deposit: GENERAL, EQUITY or DEBT');
  if (!Money.isWireAmount(options.amount))
    throw new SimulatorUsageError(
      '--amount must be a decimal string of at most 16 integer digits and 2 decimals, greater than zero (e.g. 1000.00)',
    );
  const bankReference = options.bankReference ?? `SIM-${randomUUID()}`;
  if (!BANK_REFERENCE.test(bankReference))
    throw new SimulatorUsageError('--bank-reference is 1-100 of A-Z a-z 0-9 . _ : -');
  const occurredAt = options.occurredAt ?? defaults.now.toISOString();
  if (Number.isNaN(Date.parse(occurredAt)))
    throw new SimulatorUsageError('--occurred-at must be an ISO 8601 date-time');
  return {
    type,
    bankReference,
    [target]: id,
    ...(options.line === undefined ? {} : { line: options.line as WalletLine }),
    amount: options.amount as string,
    currency: options.currency ?? defaults.currency,
    occurredAt,
  };
}

/**
 * Builds, signs and posts one notification; resolves with what the service answered (any status).
 * Refused in production before anything is built or sent.
 */
export async function simulateCustody(
  options: SimulateOptions,
  config: AppConfig,
  now: Date = new Date(),
): Promise<SimulationResult> {
  if (config.app.env === 'production') throw new ProductionRefusedError();
  const currency = resolveRulePack(config.rules.rulePack, config.rules.overridesJson).currency;
  const sent = buildNotification(options, { currency, now });
  const origin = options.url ?? `http://localhost:${config.app.port}`;
  let url: URL;
  try {
    url = new URL(`/${API_PREFIX}/custody/notifications`, origin);
  } catch {
    throw new SimulatorUsageError(`--url must be the service's origin, e.g. http://localhost:3000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SimulatorUsageError('--url must be an http:// or https:// origin');
  const body = JSON.stringify(sent);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-custody-signature': custodySignature(body, config.ledger.custodyWebhookSecret),
      },
      body,
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new Error(
      `could not reach ${url.origin} (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'is the service running (npm start), and on that port (--url)?',
      { cause: error },
    );
  }
  const text = await res.text();
  let response: unknown = text;
  try {
    response = JSON.parse(text);
  } catch {
    // not JSON: shown as the text it is
  }
  return { url: url.toString(), sent, status: res.status, response };
}
