import { z } from 'zod';
import { SESSION_COOKIE } from './cookies.ts';
import { errorBodySchema } from './errors.ts';
import type { RouteSpec } from './route-spec.ts';

type JsonSchema = Record<string, unknown>;

/** OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what zod 4 emits. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Express `:name` segments become OpenAPI `{name}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const doc = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(doc.properties ?? {}).map(([name, propertySchema]) => ({
    name,
    in: where,
    required: where === 'path' || (doc.required ?? []).includes(name),
    ...(propertySchema.description ? { description: propertySchema.description } : {}),
    schema: propertySchema,
  }));
}

const ERROR_RESPONSE = { $ref: '#/components/responses/Error' };

function operation(spec: RouteSpec): JsonSchema {
  const status = String(spec.status ?? (spec.response ? 200 : 204));
  const success: JsonSchema = { description: spec.summary };
  if (spec.response)
    success.content = { [spec.responseContentType ?? 'application/json']: { schema: jsonSchema(spec.response, 'output') } };
  const responses: JsonSchema = { [status]: success, '400': ERROR_RESPONSE, default: ERROR_RESPONSE };
  if (spec.roles !== 'public') Object.assign(responses, { '401': ERROR_RESPONSE, '403': ERROR_RESPONSE });
  const op: JsonSchema = {
    operationId: `${spec.method}${openApiPath(spec.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: spec.summary,
    tags: spec.tags,
    security: spec.roles === 'public' ? [] : [{ bearer: [] }, { session: [] }],
    'x-roles': spec.roles === 'public' ? [] : [...spec.roles],
    parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
    responses,
  };
  if (spec.description) op.description = spec.description;
  if (spec.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } };
  else if (spec.rawBody)
    op.requestBody = {
      required: true,
      description: spec.rawBody.description,
      content: { [spec.rawBody.contentType]: { schema: { type: 'string', format: 'binary' } } },
    };
  return op;
}

/** The API description, generated from the same route specs the router is built from. */
export function buildOpenApi(specs: RouteSpec[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of specs) {
    const path = openApiPath(spec.path);
    paths[path] ??= {};
    paths[path][spec.method] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'woo-sage admin API',
      version,
      description:
        'Every route but the public ones needs a bearer token (`woo-sage users token NAME`) or a session cookie from POST /api/login. ' +
        "Cookie requests that change state must send the session's CSRF token in the X-CSRF-Token header. " +
        'Errors are `{"error":{"code","message","details"}}`.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
      responses: {
        Error: { description: 'an error', content: { 'application/json': { schema: jsonSchema(errorBodySchema, 'output') } } },
      },
    },
  };
}
