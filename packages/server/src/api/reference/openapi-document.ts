import type { RouteEntry } from '../../http/route-table.ts';
import { ERROR_ANSWER } from '../answers/answer-schema.ts';
import { SchemaComponents } from './schema-components.ts';

/**
 * The OpenAPI 3.1 document of the API listener, built from its own route table: every route as
 * registered, with the JSON schemas it validates with (path parameters, query, body), the
 * answers it declares (`schema.response`, api/answers/answer-schema.ts) and the credential its
 * policy asks for. Shapes marked with `named` are listed once under `components.schemas`. Nothing is written by hand here, so the document cannot drift
 * from what the server accepts. JSON Schema 2020-12 (OpenAPI 3.1's dialect) reads the routes'
 * draft-07 schemas as they are.
 */

type Json = Record<string, unknown>;

/** Policies that take no credential (sign-in, refresh, the operations routes). */
const PUBLIC_POLICIES = new Set(['public', 'canRegister']);
/** Routes that also accept the app's server key (the pull API). */
const SERVER_KEY_POLICIES = new Set(['canReadAnalytics']);

/** The dashboard's own files (a catch-all) are not part of the API. */
export function isApiRoute(route: RouteEntry): boolean {
  return !route.url.includes('*');
}

/** `/api/apps/:app_id` → `/api/apps/{app_id}` */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function pathParameters(url: string, schema: unknown): Json[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: props[name!] ?? { type: 'string' },
  }));
}

function queryParameters(schema: unknown): Json[] {
  const s = schema as { properties?: Record<string, Json>; required?: string[] } | undefined;
  return Object.entries(s?.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: s?.required?.includes(name) ?? false,
    ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
    schema: property,
  }));
}

function security(policy: string | undefined): Json[] | undefined {
  if (policy === undefined || PUBLIC_POLICIES.has(policy)) return [];
  return SERVER_KEY_POLICIES.has(policy) ? [{ accessToken: [] }, { serverKey: [] }] : [{ accessToken: [] }];
}

function operationId(method: string, url: string): string {
  const words = url
    .replace(/^\/api\//, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((w) => (w.startsWith(':') ? `by_${w.slice(1)}` : w));
  return [method.toLowerCase(), ...words].join('_');
}

function tag(url: string): string {
  const [first, second] = url.replace(/^\//, '').split('/');
  return first === 'api' ? (second ?? 'api') : 'operations';
}

const ERROR_RESPONSE = { $ref: '#/components/responses/Error' };
const STATUS_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No content', '503': 'Not ready' };

/** The route's declared answers as OpenAPI responses, plus the shared error answer for every 4xx and 5xx. */
function responses(route: RouteEntry, components: SchemaComponents): Json {
  const declared = (route.schema?.response ?? {}) as Record<string, Json>;
  const out: Json = {};
  for (const [status, schema] of Object.entries(declared)) {
    const description = STATUS_TEXT[status] ?? `Status ${status}`;
    if (schema['type'] === 'null') out[status] = { description };
    else if (schema['content'] !== undefined) out[status] = { description, content: components.refs(schema['content']) };
    else out[status] = { description, content: { 'application/json': { schema: components.refs(schema) } } };
  }
  return { ...out, '4XX': ERROR_RESPONSE, '5XX': ERROR_RESPONSE };
}

function operation(route: RouteEntry, components: SchemaComponents): Json {
  const schema = route.schema ?? {};
  const parameters = [...pathParameters(route.url, schema.params), ...queryParameters(schema.querystring)];
  const op: Json = {
    operationId: operationId(route.method, route.url),
    tags: [tag(route.url)],
    ...(route.policy ? { 'x-policy': route.policy } : {}),
    security: security(route.policy),
    ...(parameters.length > 0 ? { parameters } : {}),
    responses: responses(route, components),
  };
  if (schema.body !== undefined) {
    op['requestBody'] = { required: true, content: { 'application/json': { schema: schema.body } } };
  }
  return op;
}

export function openApiDocument(routes: readonly RouteEntry[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const components = new SchemaComponents();
  const error = components.refs(ERROR_ANSWER);
  for (const route of routes) {
    if (!isApiRoute(route)) continue;
    const path = openApiPath(route.url);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'UnMoGrowP API',
      version,
      description:
        'The API listener of UnMoGrowP (port 3003 by default): accounts, apps, links, partners, costs, analytics and operations. docs/api.md explains authentication, errors and conventions; docs/wire-formats.md the ingest listener.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    security: [{ accessToken: [] }],
    paths,
    components: {
      securitySchemes: {
        accessToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Access token from POST /api/auth/login (15 minutes).',
        },
        serverKey: { type: 'http', scheme: 'bearer', description: "The app's server key (read-only, analytics routes of that app only)." },
      },
      schemas: components.schemas,
      responses: {
        Error: {
          description: 'An error: `{error: {code, message, details?}}`',
          content: { 'application/json': { schema: error } },
        },
      },
    },
  };
}
