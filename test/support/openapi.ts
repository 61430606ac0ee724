import type { TestApp } from './test-app.js';

/** The parts of an OpenAPI 3 document the authorisation matrix, the fuzzer and the contract read. */
export interface SchemaObject {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  additionalProperties?: boolean | SchemaObject;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  $ref?: string;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, { schema?: SchemaObject }>;
  headers?: Record<string, { schema?: SchemaObject }>;
  /** The error codes a 4xx response can carry (see src/common/openapi/openapi-document.ts). */
  'x-error-codes'?: string[];
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  parameters?: ParameterObject[];
  requestBody?: { content: Record<string, { schema?: SchemaObject }>; required?: boolean };
  responses?: Record<string, ResponseObject>;
  security?: Record<string, string[]>[];
  'x-roles'?: string[];
}

export interface OpenApiDocument {
  openapi: string;
  servers?: { url: string }[];
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

export interface ApiRoute {
  method: string;
  /** As in the document, e.g. `/api/v1/pledges/{id}`. */
  path: string;
  /** `GET /api/v1/pledges/{}`: parameter names do not matter for identity. */
  key: string;
  operation: OperationObject;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

export const routeKey = (method: string, path: string): string =>
  `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;

/** The OpenAPI document the running app serves at /docs-json. */
export async function openApiDocument(t: TestApp): Promise<OpenApiDocument> {
  const res = await t.http.get('/docs-json');
  if (res.status !== 200) throw new Error(`/docs-json: ${res.status}`);
  return res.body as OpenApiDocument;
}

/** Every operation of the document, in document order. */
export function apiRoutes(doc: OpenApiDocument): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      routes.push({ method: method.toUpperCase(), path, key: routeKey(method, path), operation });
    }
  }
  return routes;
}

/** Follows `$ref`s into components/schemas (one level at a time, as the generator does). */
export function resolveSchema(doc: OpenApiDocument, schema: SchemaObject): SchemaObject {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 10; depth++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved schema ${current.$ref}`);
    current = target;
  }
  return current;
}

/**
 * Whether `sentPath` (as sent, query excluded) is routed to the operation at `templatePath`: the
 * same number of segments and the same fixed segments. A hostile path parameter such as `../..`
 * lands on another route (or none), whose answer is not this operation's.
 */
export function routesTo(templatePath: string, sentPath: string): boolean {
  const template = templatePath.split('/');
  const sent = sentPath.split('?')[0].split('/');
  return (
    template.length === sent.length &&
    template.every((segment, i) => /^\{[^}]+\}$/.test(segment) || segment === sent[i])
  );
}

/** The declared response of an operation for a status, if any. */
export const declaredResponse = (route: ApiRoute, status: number): ResponseObject | undefined =>
  route.operation.responses?.[String(status)];

const FORMATS: Record<string, (v: string) => boolean> = {
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  'date-time': (v) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
    !Number.isNaN(Date.parse(v)),
  email: (v) => /^[^\s@]+@[^\s@]+$/.test(v),
};

/**
 * Checks `value` against a schema of the document, strictly: every property of an object must be
 * declared (an undocumented field is a defect of the document), every required one present,
 * types, formats, patterns, enums, bounds and nullability as declared. Returns the problems, each
 * with its JSON path; [] when the value conforms.
 */
export function schemaProblems(
  doc: OpenApiDocument,
  schema: SchemaObject,
  value: unknown,
  path = '$',
): string[] {
  const s = resolveSchema(doc, schema);
  if (value === null) return s.nullable ? [] : [`${path}: null is not allowed`];
  if (s.allOf) {
    const own: SchemaObject = { ...s, allOf: undefined };
    const merged = s.allOf.map((part) => resolveSchema(doc, part));
    // `nullable` + allOf[$ref] is how a nullable object is written in OpenAPI 3.0.
    if (
      merged.length === 1 &&
      Object.keys(own).every((k) => ['allOf', 'nullable', 'type', 'description'].includes(k))
    )
      return schemaProblems(doc, merged[0], value, path);
    return merged.flatMap((part) => schemaProblems(doc, part, value, path));
  }
  for (const alternatives of [s.oneOf, s.anyOf]) {
    if (!alternatives) continue;
    const fits = alternatives.filter((a) => schemaProblems(doc, a, value, path).length === 0);
    return fits.length > 0 ? [] : [`${path}: matches none of the alternatives`];
  }
  const problems: string[] = [];
  if (s.enum && !s.enum.includes(value))
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  switch (s.type) {
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected a string, got ${typeof value}`];
      if (s.format && FORMATS[s.format] && !FORMATS[s.format](value))
        problems.push(`${path}: ${JSON.stringify(value)} is not a ${s.format}`);
      if (s.pattern && !new RegExp(s.pattern, 'u').test(value))
        problems.push(`${path}: ${JSON.stringify(value)} does not match ${s.pattern}`);
      if (s.minLength !== undefined && [...value].length < s.minLength)
        problems.push(`${path}: shorter than ${s.minLength}`);
      if (s.maxLength !== undefined && [...value].length > s.maxLength)
        problems.push(`${path}: longer than ${s.maxLength}`);
      return problems;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return [`${path}: expected a ${s.type}, got ${JSON.stringify(value)}`];
      if (s.type === 'integer' && !Number.isInteger(value))
        problems.push(`${path}: ${value} is not an integer`);
      if (s.minimum !== undefined && value < s.minimum)
        problems.push(`${path}: below ${s.minimum}`);
      if (s.maximum !== undefined && value > s.maximum)
        problems.push(`${path}: above ${s.maximum}`);
      return problems;
    case 'boolean':
      return typeof value === 'boolean' ? problems : [`${path}: expected a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      return [
        ...problems,
        ...value.flatMap((item, i) =>
          s.items ? schemaProblems(doc, s.items, item, `${path}[${i}]`) : [],
        ),
      ];
    default: {
      if (s.type !== 'object' && !s.properties && s.additionalProperties === undefined)
        return problems; // an unconstrained schema
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      const record = value as Record<string, unknown>;
      for (const name of s.required ?? [])
        if (!(name in record)) problems.push(`${path}.${name}: required, missing`);
      for (const [name, item] of Object.entries(record)) {
        const declared = s.properties?.[name];
        if (declared) problems.push(...schemaProblems(doc, declared, item, `${path}.${name}`));
        else if (typeof s.additionalProperties === 'object')
          problems.push(...schemaProblems(doc, s.additionalProperties, item, `${path}.${name}`));
        else if (s.additionalProperties !== true)
          problems.push(`${path}.${name}: not in the document`);
      }
      return problems;
    }
  }
}

/**
 * Problems of one HTTP answer against the operation's declaration: the status is declared; a JSON
 * body conforms to its schema; an error's code is one the status lists.
 */
export function responseProblems(
  doc: OpenApiDocument,
  route: ApiRoute,
  status: number,
  contentType: string | undefined,
  body: unknown,
): string[] {
  const declared = declaredResponse(route, status);
  if (!declared) return [`${route.key}: status ${status} is not declared`];
  const problems: string[] = [];
  const json = (contentType ?? '').startsWith('application/json');
  const schema = declared.content?.['application/json']?.schema;
  if (json && schema) problems.push(...schemaProblems(doc, schema, body));
  else if (json && !schema && status !== 204)
    problems.push(`${route.key}: ${status} answers JSON but declares no JSON schema`);
  const codes = declared['x-error-codes'];
  if (status >= 400 && codes) {
    const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (typeof code !== 'string' || !codes.includes(code))
      problems.push(`${route.key}: ${status} ${String(code)} is not one of ${codes.join(', ')}`);
  }
  return problems.map((p) => `${status}: ${p}`);
}

/** Whether the operation answers an event stream (text/event-stream): it never ends. */
export const isEventStream = (route: ApiRoute): boolean =>
  Object.values(route.operation.responses ?? {}).some(
    (r) => r.content?.['text/event-stream'] !== undefined,
  );

/**
 * A supertest parser for a route that may answer an event stream: the stream is cut after its
 * first chunk (its body reads as {}); any other answer is parsed as JSON when it ends.
 */
export function firstChunkThenHangUp(
  response: unknown,
  done: (error: Error | null, body: unknown) => void,
): void {
  const res = response as NodeJS.ReadableStream & {
    headers: Record<string, string>;
    destroy(): void;
  };
  const streaming = String(res.headers['content-type']).startsWith('text/event-stream');
  let text = '';
  res.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    if (streaming) {
      res.destroy();
      done(null, {});
    }
  });
  res.on('end', () => {
    if (!streaming) done(null, text ? (JSON.parse(text) as unknown) : {});
  });
}
