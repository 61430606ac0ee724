import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  type ApiRoute,
  type ParameterObject,
  resolveSchema,
  type SchemaObject,
} from '../support/openapi.js';
import type { Caller, FuzzWorld } from './api-fuzz.js';

/**
 * The fuzzer's generators: hostile values for every kind of field, and whole requests (path,
 * query, headers, body) for one route of the OpenAPI document. See api-fuzz.ts for the properties.
 */

export interface FuzzRequest {
  caller: Caller;
  method: string;
  path: string;
  query: string;
  headers: [string, string | string[]][];
  body?: string;
  contentType?: string;
}

const MB = 1024 * 1024;

const trickyText = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c', // right-to-left override
  'שלום עולם', // RTL script
  'مرحبا',
  'zero\u200bwidth\u200d\ufeff',
  '😀👨‍👩‍👧‍👦🏳️‍🌈',
  '\ud800', // lone surrogate
  '李伟',
  '１２３４５',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '${jndi:ldap://x}',
  '../../../../etc/passwd',
  '%00',
  '\r\n\r\nX: y',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
);

const hugeText = fc.constantFrom('x'.repeat(20_000), 'é'.repeat(40_000), 'x'.repeat(MB));

const moneyText = fc.oneof(
  fc.constantFrom(
    '100.00',
    '0.00',
    '0.01',
    '-1.00',
    '-0.00',
    '0.001',
    '100.005',
    '1e3',
    '1E+2',
    '1.5e-2',
    '100.',
    '.50',
    '+100.00',
    ' 100.00',
    '100.00 ',
    '１００.００',
    '٣٠٠',
    '1,000.00',
    '0x10',
    'NaN',
    'Infinity',
    '-Infinity',
    '9999999999999999.99',
    '99999999999999999.00',
    '1'.repeat(400),
    `0.${'0'.repeat(300)}1`,
    '100.00\u0000',
  ),
  fc.integer({ min: -1_000_000, max: 100_000_000 }).map((n) => (n / 100).toFixed(2)),
  fc.double({ noNaN: false }).map(String),
);

const moneyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: moneyText },
  fc.constantFrom(100, 1.5, -1, 0, 1e308, -1e-308, 2 ** 53 + 1),
  fc.double(),
);

const dateText = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-13-45T00:00:00Z',
    '2026-02-30',
    'not a date',
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00Z',
    '0',
    '2026-11-28T02:00:00+99:99',
  ),
);

/** Anything at all, including JSON nobody expects. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: trickyText },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.double(),
  { weight: 2, arbitrary: moneyText },
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.integer({ min: 1, max: 3000 }).map((depth) => nested(depth)),
);

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

const MONEY_FIELD =
  /amount|Amount|income|Income|assets|Assets|netWorth|price|Price|balance|Balance/;
const DATE_FIELD = /deadline|At$|^from$|^to$|effective|date|Date|Until/;

function idValue(world: FuzzWorld): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(world.ids.campaign, world.ids.pledge, ...world.ids.users),
    fc.uuid().map(String),
    fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '1', 'undefined'),
    anyJson,
  );
}

/** A value for one field: mostly plausible for its schema, often hostile. */
function valueFor(
  world: FuzzWorld,
  name: string,
  raw: SchemaObject,
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolveOne(world, raw);
  let plausible: fc.Arbitrary<unknown>;
  if (schema.enum && schema.enum.length > 0) plausible = fc.constantFrom(...schema.enum);
  else if (schema.format === 'uuid' || /Id$|^id$/.test(name)) plausible = idValue(world);
  else if (schema.type === 'string' && MONEY_FIELD.test(name)) plausible = moneyValue;
  else if (schema.type === 'string' && DATE_FIELD.test(name)) plausible = dateText;
  else if (schema.type === 'string')
    plausible = fc.oneof(fc.string({ maxLength: 40 }), trickyText, hugeText);
  else if (schema.type === 'number' || schema.type === 'integer')
    plausible = fc.oneof(
      fc.integer({ min: -5, max: 1000 }),
      fc.double(),
      fc.constantFrom(0, -1, 1e308, 2 ** 53 + 1, '3', '1e3'),
    );
  else if (schema.type === 'boolean')
    plausible = fc.oneof(fc.boolean(), fc.constantFrom('true', 1, 0));
  else if (schema.type === 'array' && schema.items && depth < 3)
    plausible = fc.oneof(
      fc.array(valueFor(world, name, schema.items, depth + 1), { maxLength: 4 }),
      fc.constant(Array.from({ length: 5000 }, () => ({}))),
    );
  else if ((schema.type === 'object' || schema.properties) && depth < 3)
    plausible = objectFor(world, schema, depth + 1);
  else plausible = anyJson;
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: anyJson });
}

function resolveOne(world: FuzzWorld, schema: SchemaObject): SchemaObject {
  const resolved = resolveSchema(world.doc, schema);
  const choice = resolved.allOf?.[0] ?? resolved.oneOf?.[0] ?? resolved.anyOf?.[0];
  return choice ? { ...resolveSchema(world.doc, choice), ...resolved, allOf: undefined } : resolved;
}

/** An object from the schema: every field may be missing, wrong or hostile; extras appear too. */
function objectFor(world: FuzzWorld, raw: SchemaObject, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveOne(world, raw);
  const properties = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, prop] of Object.entries(properties))
    model[name] = valueFor(world, name, prop, depth);
  const base = fc.record(model, { requiredKeys: [] });
  const extras = fc.dictionary(
    fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('__proto__', 'constructor', 'role', 'id'),
    ),
    anyJson,
    { maxKeys: 2 },
  );
  return fc.oneof(
    { weight: 4, arbitrary: base },
    { weight: 1, arbitrary: fc.tuple(base, extras).map(([b, e]) => ({ ...e, ...(b as object) })) },
  );
}

// ---------------------------------------------------------------- requests

function bodyArbitrary(
  world: FuzzWorld,
  route: ApiRoute,
): fc.Arbitrary<{ body?: string; contentType?: string }> {
  const content = route.operation.requestBody?.content ?? {};
  const jsonSchema = content['application/json']?.schema;
  const json = (value: unknown) => ({
    body: JSON.stringify(value),
    contentType: 'application/json',
  });
  const fromSchema = jsonSchema ? objectFor(world, jsonSchema).map(json) : anyJson.map(json);
  const otherTypes = Object.keys(content).filter((c) => c !== 'application/json');
  return fc.oneof(
    { weight: 8, arbitrary: fromSchema },
    { weight: 1, arbitrary: fc.constant({}) }, // no body at all
    { weight: 1, arbitrary: anyJson.map(json) }, // arrays, strings, numbers, null for the object
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((depth) => ({
        body: `${'['.repeat(depth)}${']'.repeat(depth)}`,
        contentType: 'application/json',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{',
          '{"a":}',
          "{'a':1}",
          '{"a":1}}',
          'nul',
          '\u0000',
          '',
          ' ',
          '{"amount":1e999999}',
          '\ufeff{}',
        )
        .map((body) => ({ body, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/xml',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            'application/octet-stream',
            'text/csv',
            'application/x-ndjson',
            ...otherTypes,
          ),
          fc.oneof(
            fc.constantFrom('a=1&b=2', '<a>1</a>', 'amount,date\n1,2', '{"x":1}\n{"y":', '--x\r\n'),
            fc.string({ maxLength: 200 }),
          ),
        )
        .map(([contentType, body]) => ({ body, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({ body: `"${'x'.repeat(MB)}"`, contentType: 'application/json' }),
    },
  );
}

/** Percent-encodes, with lone surrogates (which have no UTF-8 form) replaced by U+FFFD. */
function encode(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udfff]/gu, '\ufffd'));
}

function pathParamValue(
  world: FuzzWorld,
  route: ApiRoute,
  p: ParameterObject,
): fc.Arbitrary<string> {
  const real =
    /\/(admin\/)?campaigns\/\{/.test(route.path) || /finance\/campaigns\/\{/.test(route.path)
      ? world.ids.campaign
      : /pledges\/\{/.test(route.path)
        ? world.ids.pledge
        : undefined;
  const plausible =
    p.name === 'version'
      ? fc.constantFrom('1', '2', '0', '-1', '1.5', '1e3', '99999999999999999999', 'abc')
      : fc.oneof(real ? fc.constant(real) : fc.uuid().map(String), fc.uuid().map(String));
  return fc.oneof(
    { weight: 4, arbitrary: plausible.map(encode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '..',
        '../..',
        '..%2F..%2Fetc%2Fpasswd',
        '%2e%2e%2f%2e%2e',
        '%00',
        '%ZZ',
        '%C0%AE%C0%AE',
        ';',
        '*',
        '00000000-0000-0000-0000-000000000000',
        '00000000-0000-0000-0000-00000000000G',
        'x'.repeat(8000),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(trickyText, fc.string({ maxLength: 40 }))
        .filter((s) => s.length > 0)
        .map(encode),
    },
  );
}

function queryArbitrary(world: FuzzWorld, route: ApiRoute): fc.Arbitrary<string> {
  const params = (route.operation.parameters ?? []).filter((p) => p.in === 'query');
  const documented = params.map((p) =>
    fc.option(
      fc.oneof(
        valueFor(world, p.name, p.schema ?? {}).map((v) => [p.name, v] as const),
        fc
          .array(fc.string({ maxLength: 10 }), { minLength: 2, maxLength: 3 })
          .map((v) => [p.name, v] as const),
      ),
      { nil: undefined },
    ),
  );
  const extra = fc.option(
    fc.tuple(fc.constantFrom('page', 'limit', '__proto__', 'x', 'mine', 'cursor'), anyJson),
    { nil: undefined },
  );
  return fc.tuple(fc.tuple(...documented), extra).map(([entries, more]) => {
    const parts: string[] = [];
    for (const entry of [...entries, more]) {
      if (!entry) continue;
      const [name, value] = entry;
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
        parts.push(`${encode(name)}=${encode(text.slice(0, 4000))}`);
      }
    }
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  });
}

function forgedToken(role: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: randomUUID(), role })}.`;
}

function authorizationArbitrary(
  world: FuzzWorld,
  caller: Caller,
): fc.Arbitrary<string | string[] | undefined> {
  const token = caller === 'anonymous' ? undefined : world.tokens[caller];
  const malformed = fc.constantFrom<string | string[]>(
    'Bearer',
    'Bearer ',
    'bearer x',
    'Basic dXNlcjpwYXNz',
    'Bearer a.b.c',
    `Bearer ${forgedToken('ADMIN')}`,
    `Bearer ${forgedToken('FINANCE')}`,
    `Bearer ${'A'.repeat(8000)}`,
    'Bearer \u0000',
    ...(token
      ? [
          `${token}`,
          `Bearer ${token}x`,
          `Bearer ${token.slice(0, -2)}`,
          [`Bearer ${token}`, `Bearer ${token}`],
        ]
      : []),
  );
  if (!token)
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: malformed },
    );
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${token}`) },
    { weight: 1, arbitrary: malformed },
  );
}

const idempotencyKeyArbitrary: fc.Arbitrary<string | string[] | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.uuid().map(String) },
  { weight: 1, arbitrary: fc.constantFrom('fixed-key-1', 'fixed-key-2') }, // reuse across cases
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | string[]>(
      '',
      ' ',
      'k'.repeat(201),
      'k'.repeat(8000),
      'with space',
      '键',
      'a\u200bb',
      ['dup-1', 'dup-2'],
      ['same', 'same'],
    ),
  },
);

export function requestArbitrary(world: FuzzWorld, route: ApiRoute): fc.Arbitrary<FuzzRequest> {
  const authorised = world.callerOf.get(route.key) ?? 'anonymous';
  const pathParams = (route.operation.parameters ?? []).filter((p) => p.in === 'path');
  const paths = fc
    .tuple(...pathParams.map((p) => pathParamValue(world, route, p)))
    .map((values) => {
      let i = 0;
      return route.path.replace(/\{[^}]+\}/g, () => values[i++]);
    });
  const isCustody = route.path.endsWith('/custody/notifications');
  const caller = fc.oneof(
    { weight: 3, arbitrary: fc.constant(authorised) },
    { weight: 1, arbitrary: fc.constant<Caller>('anonymous') },
  );
  return fc
    .tuple(
      caller,
      paths,
      queryArbitrary(world, route),
      bodyArbitrary(world, route),
      idempotencyKeyArbitrary,
      fc.constantFrom<'signed' | 'missing' | 'wrong' | 'duplicated'>(
        'signed',
        'signed',
        'signed',
        'missing',
        'wrong',
        'duplicated',
      ),
    )
    .chain(([who, path, query, body, key, signature]) =>
      authorizationArbitrary(world, who).map((authorization): FuzzRequest => {
        const headers: [string, string | string[]][] = [];
        if (authorization !== undefined) headers.push(['authorization', authorization]);
        if (key !== undefined) headers.push(['idempotency-key', key]);
        if (isCustody && signature !== 'missing') {
          const hmac = createHmac('sha256', world.t.config.ledger.custodyWebhookSecret)
            .update(body.body ?? '')
            .digest('hex');
          const value =
            signature === 'signed'
              ? `sha256=${hmac}`
              : signature === 'wrong'
                ? `sha256=${hmac.slice(1)}0`
                : [`sha256=${hmac}`, `sha256=${hmac}`];
          headers.push(['x-custody-signature', value]);
        }
        return { caller: who, method: route.method, path, query, headers, ...body };
      }),
    );
}
