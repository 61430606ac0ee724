import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, getSchemaPath, SwaggerModule } from '@nestjs/swagger';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
} from '@nestjs/swagger';
import { type Role, STAFF_ROLES } from '../auth/auth.decorators.js';
import { OPENAPI_MARKERS, ROLES_EXTENSION } from './api-docs.decorators.js';
import { ERROR_CODES, type ErrorCode, type ErrorStatus } from './error-catalogue.js';
import { ErrorResponseDto } from './error-response.dto.js';

/**
 * The OpenAPI document a client is generated from (`/docs-json`, Swagger UI at `/docs`).
 *
 * Nest's scanner gives the operations, parameters and schemas from the decorators; `finalize`
 * then makes every operation say who may call it and how it fails, from the same metadata the
 * guards read: `security` (`[]` for @Public routes, bearer otherwise), `x-roles` (@Roles), and
 * one response per error status, each with the shared ErrorResponse schema and the codes it can
 * carry (`x-error-codes`, also listed in the description). Which codes a route can answer comes
 * from @ApiErrors (what its service throws) plus what its shape implies (see `impliedErrors`).
 */

const DESCRIPTION = `City crowdfunding platform: real-name identity, investor classification, campaigns,
risk disclosures, pledges held in a double-entry escrow ledger, settlement and the finance office.

- Money is a decimal **string** with two decimals (\`"1500.00"\`) next to a \`currency\`; a JSON
  number where money is expected is 400 VALIDATION_FAILED.
- Times are ISO 8601 in UTC.
- Every error has the body \`{"error":{"code","message","details?","requestId"}}\`; each response
  lists the codes it can carry. A request the HTTP parser refuses before any route is chosen
  (headers over 16 KB: 431, a malformed request: 400, too slow: 408) gets the same body without a
  \`requestId\` and is not repeated on every operation.
- Money-moving requests take an \`Idempotency-Key\` header (DESIGN §4).
- Operations with \`x-roles\` are limited to those roles (403 AUTH.FORBIDDEN for the others).`;

const TAGS: Record<string, string> = {
  identity:
    'Accounts, sign-in, sessions, password, e-mail verification, TOTP and real-name verification (PLAT-01, PLAT-02)',
  'investor classification':
    'Risk questionnaire, declared financials, qualification, the 12-month limit (PLAT-09, CN-SUIT-*)',
  'risk disclosure': 'The general risk disclosure and acknowledgements (CN-ECF-10, CN-SUIT-15/16)',
  campaigns: 'Campaigns, their disclosures, updates and lifecycle (DESIGN §6)',
  pledges: 'Pledges held in escrow, cancellation and reconfirmation (DESIGN §6)',
  wallet: 'Own balance and withdrawals',
  payouts: 'Founder payouts, decided by FINANCE (maker-checker)',
  custody: 'Notifications from the custodian bank (HMAC-signed, PLAT-05)',
  finance: 'The finance office: trial balance, statements, exports, verification, reconciliation',
  admin: 'Review, credit records, confirmation calls and evidence (ADMIN, some FINANCE)',
  audit: 'The audit trail, refusals included (CONV-05), for ADMIN and FINANCE',
  notifications: "The signed-in user's notices: inbox, live stream, language (issue 13)",
  webhooks: "A founder's webhook endpoints for their campaigns' events (issue 13)",
  ops: 'Health probes',
};

const STATUS_TITLE: Record<ErrorStatus, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Rule violation',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** Methods whose request body Fastify parses when one is sent (DELETE too: the fuzzer found it). */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

type Operation = OperationObject & Record<string, unknown>;

const isParameter = (p: ParameterObject | ReferenceObject): p is ParameterObject => 'in' in p;

/**
 * The codes an operation can answer with because of its shape and guards, whatever its service
 * does (read before the markers are removed).
 */
function impliedErrors(method: string, op: Operation, isPublic: boolean): ErrorCode[] {
  const parameters = (op.parameters ?? []).filter(isParameter);
  const codes: ErrorCode[] = [];
  const roles = op[ROLES_EXTENSION] as string[] | undefined;
  if (!isPublic) codes.push('AUTH.UNAUTHENTICATED', 'AUTH.TOKEN_EXPIRED');
  if (roles !== undefined) codes.push('AUTH.FORBIDDEN');
  // Issue 13: a staff session without a second factor reaches only the enrolment routes.
  const staffMayCall = !roles || roles.some((role) => STAFF_ROLES.includes(role as Role));
  if (!isPublic && staffMayCall && op[OPENAPI_MARKERS.withoutSecondFactor] !== true)
    codes.push('AUTH.SECOND_FACTOR_REQUIRED');
  if (op[OPENAPI_MARKERS.freshSecondFactor] === true) codes.push('AUTH.STEP_UP_REQUIRED');
  // Validation of the path (ParseUUIDPipe, a bad percent-encoding), query and body.
  if (parameters.some((p) => p.in === 'path' || p.in === 'query') || op.requestBody)
    codes.push('VALIDATION_FAILED');
  if (parameters.some((p) => p.in === 'path')) codes.push('URI_TOO_LONG');
  // Any body-carrying method parses a body if one is sent: too large, not JSON, or not a type it reads.
  if (BODY_METHODS.has(method))
    codes.push('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
    codes.push('VALIDATION_FAILED', 'IDEMPOTENCY.KEY_REUSED');
  return codes;
}

function errorResponse(status: ErrorStatus, codes: ErrorCode[]): ResponseObject {
  const lines = codes.map((code) => `- \`${code}\`: ${ERROR_CODES[code].meaning}`);
  const response: ResponseObject & Record<string, unknown> = {
    description: `${STATUS_TITLE[status]}. Codes:\n\n${lines.join('\n')}`,
    content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } },
    'x-error-codes': codes,
  };
  if (status === 429)
    response.headers = {
      'Retry-After': {
        description: 'Seconds to wait before trying again',
        schema: { type: 'integer', minimum: 1 },
      },
    };
  return response;
}

/** Security and error responses for one operation, from its markers (see the file comment). */
function finalizeOperation(method: string, op: Operation): void {
  const isPublic = op[OPENAPI_MARKERS.public] === true;
  const declared = (op[OPENAPI_MARKERS.errors] as ErrorCode[] | undefined) ?? [];
  const implied = impliedErrors(method, op, isPublic);
  for (const marker of Object.values(OPENAPI_MARKERS)) delete op[marker];

  // The global JwtAuthGuard lets only @Public routes through without a token.
  op.security = isPublic ? [] : (op.security ?? [{ bearer: [] }]);
  const roles = op[ROLES_EXTENSION] as string[] | undefined;
  if (roles)
    op.description = [op.description, `Roles: ${roles.join(', ')}.`].filter(Boolean).join('\n\n');

  const byStatus = new Map<ErrorStatus, ErrorCode[]>();
  for (const code of [...implied, ...declared]) {
    const status = ERROR_CODES[code].status;
    const list = byStatus.get(status) ?? [];
    if (!list.includes(code)) list.push(code);
    byStatus.set(status, list);
  }
  const responses: Record<string, ResponseObject | ReferenceObject> = {};
  const keys = [...Object.keys(op.responses), ...[...byStatus.keys()].map(String)];
  for (const key of [...new Set(keys)].sort()) {
    const codes = byStatus.get(Number(key) as ErrorStatus);
    const documented = op.responses[key];
    if (codes) responses[key] = errorResponse(Number(key) as ErrorStatus, codes);
    else if (documented) responses[key] = documented;
  }
  op.responses = responses;

  const idempotent = (op.parameters ?? [])
    .filter(isParameter)
    .some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
  if (idempotent) {
    for (const [key, response] of Object.entries(op.responses)) {
      if (!key.startsWith('2') || !response || '$ref' in response) continue;
      response.headers = {
        ...response.headers,
        'Idempotent-Replayed': {
          description: 'Present (`true`) when this is the replayed answer of an earlier request',
          schema: { type: 'string', enum: ['true'] },
        },
      };
    }
  }
}

export function finalizeDocument(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Operation | undefined;
      if (op) finalizeOperation(method, op);
    }
  }
  const used = new Set(
    Object.values(doc.paths).flatMap((item) => HTTP_METHODS.flatMap((m) => item[m]?.tags ?? [])),
  );
  doc.tags = [...used].sort().map((name) => ({ name, description: TAGS[name] ?? name }));
  return doc;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('zhongchou API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addServer('/', 'This service: the origin that serves this document')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'The accessToken from POST /api/v1/auth/login',
      },
      'bearer',
    )
    .build();
  const doc = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
  doc.info.license = { name: 'Proprietary: all rights reserved' };
  return finalizeDocument(doc);
}

/** `/docs/` and `/docs/index.html` (with any query) go to `/docs`, whose asset paths are right. */
const DOCS_ALIAS = /^\/docs(?:\/|\/index\.html)(\?.*)?$/;

/**
 * Serves the document at /docs-json and Swagger UI at /docs. Swagger UI's page at /docs/ (or
 * /docs/index.html, or with a query) would resolve its scripts against the wrong folder: those
 * addresses redirect to /docs.
 */
export function setupOpenApi(app: NestFastifyApplication, options: { swaggerUi: boolean }): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const alias = request.method === 'GET' ? DOCS_ALIAS.exec(request.url) : null;
      if (alias) void reply.redirect(`/docs${alias[1] ?? ''}`, 302);
      else done();
    });
  // Built now, not on the first request: a broken declaration stops the service at boot.
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerUiEnabled: options.swaggerUi,
  });
}
