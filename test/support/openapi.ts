import type { TestApp } from './test-app.js';

/** The parts of an OpenAPI 3 document the authorisation matrix and the fuzzer read. */
export interface SchemaObject {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
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

export interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: { content: Record<string, { schema?: SchemaObject }> };
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: string;
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
