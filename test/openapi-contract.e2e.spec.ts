import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { ValidationFailedError } from '../src/common/errors/domain-error.js';
import { Money } from '../src/common/money/money.js';
import { PATTERNS } from '../src/common/openapi/api-properties.js';
import { PageQueryDto } from '../src/common/pagination/page-query.dto.js';
import { ERROR_CODES, type ErrorCode } from '../src/common/openapi/error-catalogue.js';
import { AuditEventsQueryDto } from '../src/modules/audit/dto/audit-events.dto.js';
import { LoansPageQueryDto, LoansQueryDto } from '../src/modules/lending/dto/loan-views.dto.js';
import { CampaignDto } from '../src/modules/campaign/dto/campaign-response.dto.js';
import {
  ApproveCampaignDto,
  CampaignListQueryDto,
  CampaignUpdateDto,
  CharityDto,
  CreateCampaignDto,
  OptionalReasonDto,
  ReasonDto,
  RewardTierDto,
  UpdateCampaignDto,
} from '../src/modules/campaign/dto/campaign.dto.js';
import {
  CreditRecordsQueryDto,
  LiftCreditDto,
  RecordCreditDto,
} from '../src/modules/credit/dto/credit.dto.js';
import { CustodyNotificationDto } from '../src/modules/escrow-ledger/dto/custody.dto.js';
import { WithdrawalRequestDto } from '../src/modules/escrow-ledger/dto/wallet.dto.js';
import { LineTransferRequestDto } from '../src/modules/lines/dto/line-transfer.dto.js';
import { requireIdempotencyKey } from '../src/modules/escrow-ledger/idempotency.service.js';
import {
  StatementQueryDto,
  TrialBalanceQueryDto,
} from '../src/modules/finance/dto/finance-queries.dto.js';
import { JournalQueryDto } from '../src/modules/finance/dto/journal-query.dto.js';
import {
  ReconciliationListQueryDto,
  ReconciliationQueryDto,
} from '../src/modules/finance/dto/reconciliation.dto.js';
import { SealsQueryDto } from '../src/modules/finance/dto/seals-query.dto.js';
import { StartVerificationDto } from '../src/modules/finance/dto/verification-job.dto.js';
import {
  ChangePasswordDto,
  LoginTotpDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  RefreshTokenDto,
  TotpCodeDto,
  VerifyEmailDto,
} from '../src/modules/identity/dto/account.dto.js';
import {
  LoginDto,
  OrganizationRealNameDto,
  PersonRealNameDto,
  RegisterDto,
} from '../src/modules/identity/dto/identity.dto.js';
import {
  AnswerDto,
  ApplicationRequestDto,
  ApplicationsQueryDto,
  AssessmentRequestDto,
  EvidenceDto,
  FinancialsDto,
  RejectDto,
} from '../src/modules/investor-classification/dto/classification.dto.js';
import {
  ConfirmationCallDto,
  PledgeRequestDto,
  SpecialWarningAcceptanceDto,
} from '../src/modules/pledge/dto/pledge.dto.js';
import {
  AcknowledgeRequestDto,
  DisclosureRequestDto,
} from '../src/modules/risk-disclosure/dto/risk-disclosure.dto.js';
import { ClaimListQueryDto } from '../src/modules/fulfilment/claims.controller.js';
import {
  PayoutListQueryDto,
  PayoutRejectDto,
  PayoutRequestDto,
} from '../src/modules/settlement/dto/payout.dto.js';
import {
  apiRoutes,
  type ApiRoute,
  firstChunkThenHangUp,
  isEventStream,
  type OpenApiDocument,
  openApiDocument,
  type ParameterObject,
  resolveSchema,
  routeKey,
  type SchemaObject,
} from './support/openapi.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, staffToken } from './support/users.js';

/**
 * Issue 12: "an OpenAPI document a client can be generated from". What a client generator and a
 * reader rely on, checked on the document the app serves at /docs-json:
 * - `redocly lint` with its recommended rules (redocly.yaml) passes, and fails on a sabotaged copy;
 * - every operation has an explicit `security` that matches what the guards do, `x-roles` that
 *   match the role guard, a typed success, and its errors with the shared schema and their codes;
 * - ids are uuids, integers are integers, money / e-mail / sha256 / Idempotency-Key have patterns,
 *   and every request DTO's validators and its schema in the document say the same;
 * - the patterns accept exactly what the server's validators accept;
 * - every error code thrown in src/ is in the catalogue, and every catalogue code is declared.
 */

const API = '/api/v1';
const PUBLIC = [
  'GET /health',
  'GET /health/live',
  `POST ${API}/auth/register`,
  `POST ${API}/auth/login`,
  `POST ${API}/auth/login/totp`,
  `POST ${API}/auth/refresh`,
  `POST ${API}/auth/logout`,
  `POST ${API}/auth/console/login`,
  `POST ${API}/auth/console/login/totp`,
  `POST ${API}/auth/console/refresh`,
  `POST ${API}/auth/console/logout`,
  `POST ${API}/auth/password-reset`,
  `POST ${API}/auth/password-reset/confirm`,
  `POST ${API}/auth/verify-email`,
  `GET ${API}/auth/verify-email`,
  `POST ${API}/custody/notifications`,
  `GET ${API}/disclosures/operations`, // CN-P2P-10: the monthly operating disclosure is public
  `GET ${API}/media/{sha256}`, // issue 16: images are public, like the campaigns they illustrate
].map((r) => routeKey(...(r.split(' ') as [string, string])));
/** Reward and donation campaigns are readable without a token (issue 12; equity/debt need one). */
const TOKEN_OPTIONAL = [
  `GET ${API}/campaigns`,
  `GET ${API}/campaigns/{id}`,
  // issue 16: a published reward or donation campaign's delivery months, charity plan, fund use
  `GET ${API}/campaigns/{id}/delivery-plan`,
  `GET ${API}/campaigns/{id}/charity-plan`,
  `GET ${API}/campaigns/{id}/fund-use`,
  `GET ${API}/campaigns/{id}/page`,
  `GET ${API}/campaigns/{id}/questions`,
  // issue 15: what an equity campaign issues, for whoever may see the campaign
  `GET ${API}/campaigns/{id}/equity-terms`,
  // issue 15: a campaign's lead investor and its memo, for whoever may see the campaign
  `GET ${API}/campaigns/{id}/lead`,
  `GET ${API}/campaigns/{id}/lead/memo`,
].map((r) => routeKey(...(r.split(' ') as [string, string])));
/** Catalogue codes no route can answer: the callers rule the condition out before the ledger sees it. */
const UNREACHABLE: ErrorCode[] = [
  'LEDGER.NOT_PENDING', // custody checks the hold is PENDING before posting or voiding it
  'LEDGER.CURRENCY_MISMATCH', // every account and amount is in the pack's currency
  'DISCLOSURE.SPECIAL_WARNING_NOT_APPLICABLE', // recorded only when suitability asked for it
];

/** Ids that are not uuids: questionnaire keys (`q01`), a caller-chosen request id, Postgres xid8s. */
const NOT_UUID_IDS = [
  'AuditEventDto.properties.id', // the trail's bigint position
  'AuditEventDto.properties.subjectId', // a uuid, or the route of a finance read
  'SealedBlockDto.properties.fromTxId',
  'SealedBlockDto.properties.toTxId',
  'QuestionDto.properties.id',
  'QuestionOptionDto.properties.id',
  'AnswerDto.properties.questionId',
  'AnswerDto.properties.optionId',
  'ErrorDto.properties.requestId',
  'CampaignPageInputDto.properties.coverMediaId', // an image's SHA-256 (content-addressed)
];

const LINT_DIR = '.data/openapi';
const CLI = 'node_modules/@redocly/cli/bin/cli.js';

function redoclyLint(file: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [CLI, 'lint', '--config', 'redocly.yaml', file], {
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

const operations = (doc: OpenApiDocument): ApiRoute[] => apiRoutes(doc);

/** Every schema object of the document (components, parameters, bodies, responses), with where. */
function* allSchemas(value: unknown, where: string): Generator<[string, SchemaObject]> {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* allSchemas(item, `${where}[${i}]`);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.type === 'string') yield [where, record];
  for (const [key, child] of Object.entries(record)) yield* allSchemas(child, `${where}.${key}`);
}

describe('the OpenAPI document a client is generated from (issue 12)', () => {
  let t: TestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await startTestApp();
    doc = await openApiDocument(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('passes `redocly lint` with the recommended rules; a sabotaged copy fails it', () => {
    mkdirSync(LINT_DIR, { recursive: true });
    const file = path.join(LINT_DIR, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const lint = redoclyLint(file);
    expect([lint.status, lint.output]).toEqual([0, expect.stringContaining('valid')]);

    // The linter can fail: an operation with no security and no 4xx is refused.
    const sabotaged = JSON.parse(JSON.stringify(doc)) as OpenApiDocument;
    const op = sabotaged.paths[`${API}/pledges/{id}`].get;
    delete op.security;
    for (const status of Object.keys(op.responses ?? {}))
      if (status.startsWith('4')) delete op.responses?.[status];
    const brokenFile = path.join(LINT_DIR, 'sabotaged.json');
    writeFileSync(brokenFile, JSON.stringify(sabotaged));
    const broken = redoclyLint(brokenFile);
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain('security-defined');
    expect(broken.output).toContain('operation-4xx-response');
  }, 120_000);

  it('has a server, and every operation an explicit security: [] public, optional or bearer', () => {
    expect(doc.servers?.length).toBeGreaterThan(0);
    const wrong = operations(doc).flatMap((route) => {
      const expected = PUBLIC.includes(route.key)
        ? []
        : TOKEN_OPTIONAL.includes(route.key)
          ? [{ bearer: [] }, {}]
          : [{ bearer: [] }];
      return JSON.stringify(route.operation.security) === JSON.stringify(expected)
        ? []
        : [`${route.key}: ${JSON.stringify(route.operation.security)}`];
    });
    expect(wrong).toEqual([]);
    expect(operations(doc).length).toBeGreaterThan(55);
  });

  it('security and x-roles say what the guards do: anonymous 401 on bearer routes, 403 exactly for the roles not listed', async () => {
    const tokens = {
      INVESTOR: (await registerAndLogin(t, 'INVESTOR')).token,
      FOUNDER: (await registerAndLogin(t, 'FOUNDER')).token,
      ADMIN: (await staffToken(t, 'ADMIN')).token,
      FINANCE: (await staffToken(t, 'FINANCE')).token,
    };
    const failures: string[] = [];
    for (const route of operations(doc)) {
      if (TOKEN_OPTIONAL.includes(route.key)) continue; // their anonymous answer is the lead's change
      const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        name === 'version' ? '1' : name === 'code' ? 'custody:cash' : randomUUID(),
      );
      // Guards run before validation: an array body is refused after them, so nothing is written.
      const call = (token?: string) => {
        let req = t.http[route.method.toLowerCase() as 'get' | 'post'](url);
        if (isEventStream(route)) req = req.buffer(false).parse(firstChunkThenHangUp);
        if (token) req = req.set('authorization', `Bearer ${token}`);
        return route.method === 'GET'
          ? req
          : req.set('content-type', 'application/json').send('[]');
      };
      const anonymous = await call();
      const code = anonymous.body?.error?.code as string | undefined;
      const isPublic = JSON.stringify(route.operation.security) === '[]';
      if (isPublic === (code === 'AUTH.UNAUTHENTICATED'))
        failures.push(`${route.key} anonymous: ${anonymous.status} ${code}`);
      if (isPublic) continue;
      const roles = route.operation['x-roles'];
      for (const [role, token] of Object.entries(tokens)) {
        const res = await call(token);
        const forbidden = res.body?.error?.code === 'AUTH.FORBIDDEN';
        const allowed = !roles || roles.includes(role);
        if (forbidden === allowed || res.status === 401)
          failures.push(`${route.key} as ${role}: ${res.status} ${res.body?.error?.code}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('every operation has a typed success and its errors with the shared schema and listed codes', () => {
    const problems: string[] = [];
    for (const route of operations(doc)) {
      const responses = Object.entries(route.operation.responses ?? {});
      const successes = responses.filter(([status]) => status.startsWith('2'));
      if (successes.length === 0) problems.push(`${route.key}: no success`);
      for (const [status, response] of successes) {
        const media = Object.values(response.content ?? {});
        if (
          status === '204' ? media.length > 0 : media.length === 0 || media.some((m) => !m.schema)
        )
          problems.push(`${route.key} ${status}: no schema`);
      }
      for (const [status, response] of responses.filter(([s]) => /^[45]/.test(s))) {
        const schema = response.content?.['application/json']?.schema;
        if (schema?.$ref !== '#/components/schemas/ErrorResponseDto')
          problems.push(`${route.key} ${status}: not the shared error schema`);
        const codes = response['x-error-codes'] ?? [];
        if (codes.length === 0) problems.push(`${route.key} ${status}: no codes`);
        for (const code of codes) {
          const entry = ERROR_CODES[code as ErrorCode] as { status: number } | undefined;
          if (entry?.status !== Number(status))
            problems.push(`${route.key} ${status}: ${code} is not a ${status} code`);
          if (!response.description.includes(code))
            problems.push(`${route.key} ${status}: ${code} not in the description`);
        }
      }
      if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method))
        for (const status of ['400', '413', '415'])
          if (!route.operation.responses?.[status]) problems.push(`${route.key}: no ${status}`);
    }
    expect(problems).toEqual([]);
    const error = resolveSchema(doc, { $ref: '#/components/schemas/ErrorResponseDto' });
    expect(error.required).toEqual(['error']);
    expect(resolveSchema(doc, error.properties!.error).required).toEqual([
      'code',
      'message',
      'requestId',
    ]);
  });

  it('ids are uuids, integers are integers, money and hashes have patterns, everywhere', () => {
    const problems: string[] = [];
    for (const [where, schema] of allSchemas(doc, '$')) {
      if (schema.type === 'number') problems.push(`${where}: a number (integers are integers)`);
      const name = where.split('.').at(-1) ?? '';
      const notUuid = NOT_UUID_IDS.some((suffix) => where.endsWith(suffix));
      if (
        schema.type === 'string' &&
        /(^id|Id)$/.test(name) &&
        schema.format !== 'uuid' &&
        !notUuid
      )
        problems.push(`${where}: an id without format uuid`);
      if (schema.type === 'string' && /[sS]ha256$/.test(name) && schema.pattern !== PATTERNS.sha256)
        problems.push(`${where}: a sha256 without its pattern`);
      if (
        schema.type === 'string' &&
        /^(amount|[a-z]+Amount|minPledge|maxPledge|unitPrice|committed|closingBalance|annualIncome|financialAssets|netWorth)$/.test(
          name,
        ) &&
        !schema.pattern
      )
        problems.push(`${where}: a money amount without a pattern`);
    }
    for (const route of operations(doc)) {
      for (const p of route.operation.parameters ?? []) {
        const s = p.schema ?? {};
        if (p.in === 'path' && !(s.format === 'uuid' || s.type === 'integer' || s.pattern))
          problems.push(`${route.key}: path parameter ${p.name} is untyped`);
        if (p.name === 'Idempotency-Key' && s.pattern !== PATTERNS.idempotencyKey)
          problems.push(`${route.key}: Idempotency-Key without its pattern`);
      }
    }
    expect(problems).toEqual([]);
    // The checks above do look: the campaign's ids and money are where they should be.
    const campaign = resolveSchema(doc, { $ref: `#/components/schemas/${CampaignDto.name}` });
    expect(campaign.properties?.id.format).toBe('uuid');
    expect(campaign.properties?.investorCount.type).toBe('integer');
    expect(campaign.properties?.targetAmount.pattern).toBe(PATTERNS.money);
    const register = resolveSchema(doc, { $ref: `#/components/schemas/${RegisterDto.name}` });
    expect(register.properties?.email).toMatchObject({ format: 'email', pattern: PATTERNS.email });
  });

  it("every request DTO's validators and its schema in the document say the same", () => {
    const bodies = [
      RegisterDto,
      LoginDto,
      LoginTotpDto,
      RefreshTokenDto,
      PasswordResetRequestDto,
      PasswordResetConfirmDto,
      ChangePasswordDto,
      VerifyEmailDto,
      TotpCodeDto,
      PersonRealNameDto,
      OrganizationRealNameDto,
      WithdrawalRequestDto,
      LineTransferRequestDto,
      CustodyNotificationDto,
      AssessmentRequestDto,
      AnswerDto,
      FinancialsDto,
      ApplicationRequestDto,
      EvidenceDto,
      RejectDto,
      RecordCreditDto,
      LiftCreditDto,
      AcknowledgeRequestDto,
      DisclosureRequestDto,
      CreateCampaignDto,
      UpdateCampaignDto,
      RewardTierDto,
      ReasonDto,
      OptionalReasonDto,
      CampaignUpdateDto,
      CharityDto,
      ApproveCampaignDto,
      PledgeRequestDto,
      SpecialWarningAcceptanceDto,
      ConfirmationCallDto,
      PayoutRequestDto,
      PayoutRejectDto,
      StartVerificationDto,
    ];
    const queries: [new () => object, string][] = [
      [TrialBalanceQueryDto, `GET ${API}/finance/trial-balance`],
      [StatementQueryDto, `GET ${API}/finance/accounts/{}/statement`],
      [SealsQueryDto, `GET ${API}/finance/seals`],
      [JournalQueryDto, `GET ${API}/finance/journal.csv`],
      [ReconciliationQueryDto, `POST ${API}/finance/reconciliations`],
      [ReconciliationListQueryDto, `GET ${API}/finance/reconciliations`],
      [ClaimListQueryDto, `GET ${API}/finance/claims`],
      [ApplicationsQueryDto, `GET ${API}/admin/applications`],
      [CreditRecordsQueryDto, `GET ${API}/admin/credit-records`],
      [CampaignListQueryDto, `GET ${API}/campaigns`],
      [VerifyEmailDto, `GET ${API}/auth/verify-email`],
      [AuditEventsQueryDto, `GET ${API}/admin/audit-events`],
      [PageQueryDto, `GET ${API}/campaigns/{}/updates`],
      [PageQueryDto, `GET ${API}/campaigns/{}/transitions`],
      [PageQueryDto, `GET ${API}/pledges`],
      [PageQueryDto, `GET ${API}/me/acknowledgements`],
      [PageQueryDto, `GET ${API}/me/webhooks/{}/deliveries`],
      [PageQueryDto, `GET ${API}/admin/notifications/failed`],
      [PageQueryDto, `GET ${API}/donations/receipts`],
      [PageQueryDto, `GET ${API}/campaigns/{}/receipts`],
      [PageQueryDto, `GET ${API}/me/claims`],
      [PageQueryDto, `GET ${API}/me/loans`],
      [LoansPageQueryDto, `GET ${API}/finance/loans`],
      [LoansQueryDto, `GET ${API}/finance/loans/export.csv`],
      [PageQueryDto, `GET ${API}/admin/confirmation-calls`],
      [PageQueryDto, `GET ${API}/me/holdings`],
      [PageQueryDto, `GET ${API}/me/distributions`],
      [PageQueryDto, `GET ${API}/campaigns/{}/distributions`],
      [PayoutListQueryDto, `GET ${API}/finance/payouts`],
    ];
    const byKey = new Map(operations(doc).map((r) => [r.key, r]));
    const problems: string[] = [];
    const check = (
      where: string,
      dto: new () => object,
      property: (name: string) => { schema: SchemaObject; required: boolean } | undefined,
    ) => {
      const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false);
      for (const name of new Set(metadata.map((m) => m.propertyName))) {
        const rules = metadata.filter((m) => m.propertyName === name);
        const found = property(name);
        if (!found) {
          problems.push(`${where}.${name}: validated but not in the document`);
          continue;
        }
        const s = found.schema.$ref || found.schema.allOf ? {} : found.schema;
        const optional = rules.some((m) => m.name === 'isOptional');
        if (found.required === optional && !(dto === UpdateCampaignDto && !found.required))
          problems.push(`${where}.${name}: required ${found.required}, optional ${optional}`);
        for (const rule of rules) {
          const [a, b] = (rule.constraints ?? []) as unknown[];
          const want = (ok: boolean, what: string) => {
            if (!ok)
              problems.push(`${where}.${name}: ${rule.name} but ${what} (${JSON.stringify(s)})`);
          };
          switch (rule.name) {
            case 'isMoneyAmount':
              want(s.type === 'string' && s.pattern === PATTERNS.moneyInput, 'no money pattern');
              break;
            case 'isUuid':
              want(s.format === 'uuid', 'not format uuid');
              break;
            case 'isInt':
              want(s.type === 'integer', 'not an integer');
              break;
            case 'isEmail':
              want(s.format === 'email' && s.pattern === PATTERNS.email, 'no e-mail format');
              break;
            case 'isIn':
              want(
                JSON.stringify([...(s.enum ?? [])].sort()) ===
                  JSON.stringify([...(a as string[])].sort()),
                'another enum',
              );
              break;
            case 'isBoolean':
              want(
                s.type === 'boolean' || JSON.stringify(s.enum) === '["true","false"]',
                'not a boolean',
              );
              break;
            case 'isLength':
              want(s.minLength === a && s.maxLength === b, `not ${String(a)}..${String(b)} long`);
              break;
            case 'maxLength':
              want(s.maxLength === a, `no maxLength ${String(a)}`);
              break;
            case 'minLength':
              want(s.minLength === a, `no minLength ${String(a)}`);
              break;
            case 'min':
              want(s.minimum === a, `no minimum ${String(a)}`);
              break;
            case 'max':
              want(s.maximum === a, `no maximum ${String(a)}`);
              break;
            case 'arrayMinSize':
              want(s.minItems === a, `no minItems ${String(a)}`);
              break;
            case 'arrayMaxSize':
              want(s.maxItems === a, `no maxItems ${String(a)}`);
              break;
            case 'matches': {
              const source = (a as RegExp).source;
              if ((Object.values(PATTERNS) as string[]).includes(source))
                want(s.pattern === source, `not pattern ${source}`);
              break;
            }
          }
        }
      }
    };
    for (const dto of bodies) {
      const schema = doc.components?.schemas?.[dto.name];
      if (!schema) {
        problems.push(`${dto.name}: not in the document`);
        continue;
      }
      check(dto.name, dto, (name) => {
        const property = schema.properties?.[name];
        return property && { schema: property, required: (schema.required ?? []).includes(name) };
      });
    }
    for (const [dto, key] of queries) {
      const route = byKey.get(key);
      if (!route) {
        problems.push(`${key}: not in the document`);
        continue;
      }
      const parameters = (route.operation.parameters ?? []).filter((p) => p.in === 'query');
      check(`${key} ${dto.name}`, dto, (name) => {
        const p: ParameterObject | undefined = parameters.find((x) => x.name === name);
        return p && { schema: p.schema ?? {}, required: p.required === true };
      });
    }
    expect(problems).toEqual([]);
  });

  it('the money and Idempotency-Key patterns accept exactly what the server accepts', () => {
    const money = new RegExp(PATTERNS.moneyInput, 'u');
    const key = new RegExp(PATTERNS.idempotencyKey, 'u');
    const moneyish = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789.-+e '.split('')), maxLength: 22 }),
      fc.constantFrom('0', '0.00', '1.5', '01', '1.', '.5', '9999999999999999.99', '1'.repeat(17)),
      fc.string(),
    );
    fc.assert(
      fc.property(moneyish, (text) => {
        expect([text, money.test(text)]).toEqual([
          text,
          Money.isWireAmount(text, { allowZero: true }),
        ]);
      }),
      { numRuns: 2000 },
    );
    const keyish = fc.oneof(
      fc.string({ maxLength: 210 }),
      fc.string({ unit: fc.constantFrom(...'aZ09._:- 键/'.split('')), maxLength: 205 }),
    );
    const accepted = (k: string) => {
      try {
        requireIdempotencyKey(k);
        return true;
      } catch (error) {
        if (error instanceof ValidationFailedError) return false;
        throw error;
      }
    };
    fc.assert(
      fc.property(keyish, (k) => {
        expect([k, key.test(k)]).toEqual([k, accepted(k)]);
      }),
      { numRuns: 2000 },
    );
  });

  it('every error code thrown in src/ is in the catalogue, and every catalogue code is declared on a route', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return sources(full);
        return full.endsWith('.ts') && !full.endsWith('.spec.ts') ? [full] : [];
      });
    const thrown = new Set<string>();
    for (const file of sources('src')) {
      if (file.endsWith(path.join('openapi', 'error-catalogue.ts'))) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z_]*\.[A-Z][A-Z_]*)'/g))
        thrown.add(match[1]);
    }
    expect(thrown.size).toBeGreaterThan(60);
    expect([...thrown].filter((code) => !(code in ERROR_CODES))).toEqual([]);

    const declared = new Set(
      operations(doc).flatMap((r) =>
        Object.values(r.operation.responses ?? {}).flatMap((resp) => resp['x-error-codes'] ?? []),
      ),
    );
    expect([...declared].filter((code) => !(code in ERROR_CODES))).toEqual([]);
    const undeclared = Object.keys(ERROR_CODES).filter(
      (code) => !declared.has(code) && !UNREACHABLE.includes(code as ErrorCode),
    );
    expect(undeclared).toEqual([]);
  });

  it('/docs/ and /docs/index.html (any query) redirect to /docs, whose asset paths resolve', async () => {
    for (const [from, to] of [
      ['/docs/', '/docs'],
      ['/docs/?url=x', '/docs?url=x'],
      ['/docs/index.html', '/docs'],
    ]) {
      const res = await t.http.get(from);
      expect([from, res.status, res.headers.location]).toEqual([from, 302, to]);
    }
    expect((await t.http.get('/docs-json')).status).toBe(200);
    expect((await t.http.get('/docs/swagger-ui.css')).status).not.toBe(302);
  });

  it('the pages do not ask the browser to upgrade their assets to https (plain-http /docs loads from any address)', async () => {
    const csp = (await t.http.get('/docs-json')).headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });
});
