/**
 * The API reference screen reads the server's own OpenAPI document (`/api/openapi.json`), so it
 * shows the routes of the version that is running. This turns the document into rows to show.
 */
export interface ReferenceParameter {
  name: string;
  in: string;
  required: boolean;
  type: string;
}

export interface ReferenceOperation {
  method: string;
  path: string;
  tag: string;
  /** who may call it: the route's access policy, or "public" */
  access: string;
  parameters: ReferenceParameter[];
  /** top-level fields of the JSON body, required ones marked with `*` */
  body: string[];
  /** the success status and the top-level fields of its JSON answer (a shared shape is followed to `components.schemas`) */
  answer: { status: string; fields: string[] } | null;
}

type Json = Record<string, unknown>;
const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

function typeOf(schema: unknown): string {
  const s = (schema ?? {}) as Json;
  if (Array.isArray(s['enum'])) return (s['enum'] as unknown[]).map(String).join(' | ');
  if (Array.isArray(s['type'])) return (s['type'] as string[]).join(' | ');
  return typeof s['type'] === 'string' ? s['type'] : 'any';
}

/** `{$ref: '#/components/schemas/X'}` → the schema X of the document; anything else as it is. */
function resolved(doc: Json, schema: unknown): Json | null {
  const ref = ((schema ?? {}) as Json)['$ref'];
  if (typeof ref !== 'string') return (schema ?? null) as Json | null;
  const name = ref.replace('#/components/schemas/', '');
  return (((doc['components'] as Json | undefined)?.['schemas'] as Json | undefined)?.[name] ?? null) as Json | null;
}

function answerOf(doc: Json, op: Json): ReferenceOperation['answer'] {
  const responses = (op['responses'] ?? {}) as Record<string, Json>;
  const status = Object.keys(responses).find((s) => s.startsWith('2'));
  if (status === undefined) return null;
  const content = responses[status]?.['content'] as Record<string, Json> | undefined;
  const schema = resolved(doc, content?.['application/json']?.['schema']);
  return { status, fields: Object.keys((schema?.['properties'] as Json | undefined) ?? {}) };
}

export function referenceOperations(doc: unknown): ReferenceOperation[] {
  const paths = ((doc ?? {}) as Json)['paths'];
  if (typeof paths !== 'object' || paths === null) return [];
  const out: ReferenceOperation[] = [];
  for (const [path, item] of Object.entries(paths as Record<string, Json>)) {
    for (const method of METHOD_ORDER) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const params = ((op['parameters'] as Json[] | undefined) ?? []).map((p) => ({
        name: String(p['name']),
        in: String(p['in']),
        required: p['required'] === true,
        type: typeOf(p['schema']),
      }));
      const bodySchema = ((
        ((op['requestBody'] as Json | undefined)?.['content'] as Json | undefined)?.['application/json'] as Json | undefined
      )?.['schema'] ?? null) as Json | null;
      const required = new Set((bodySchema?.['required'] as string[] | undefined) ?? []);
      const body = Object.keys((bodySchema?.['properties'] as Json | undefined) ?? {}).map((k) => (required.has(k) ? `${k}*` : k));
      const security = op['security'] as unknown[] | undefined;
      out.push({
        method: method.toUpperCase(),
        path,
        tag: String((op['tags'] as string[] | undefined)?.[0] ?? ''),
        access: Array.isArray(security) && security.length === 0 ? 'public' : String(op['x-policy'] ?? 'signed in'),
        parameters: params,
        body,
        answer: answerOf(doc as Json, op),
      });
    }
  }
  return out.sort((a, b) => (a.tag === b.tag ? (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) : a.tag < b.tag ? -1 : 1));
}
