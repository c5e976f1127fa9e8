import { Ajv } from 'ajv';
import { ERROR_ANSWER } from '../../src/api/answers/answer-schema.ts';
import type { RouteEntry } from '../../src/http/route-table.ts';

// As the server's own check (http/answer-serializer.ts): formats are documentation, shapes and types are checked.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

/**
 * What is wrong with an answer, judged by what its route declares (`schema.response`, the same
 * schemas the OpenAPI document and the dashboard's generated types come from): a success status
 * the route does not declare, a body its schema does not describe, or an error not in docs/api.md
 * §1 form. null when the answer is as declared.
 */
export function answerProblem(route: RouteEntry, status: number, body: unknown, contentType: string | null): string | null {
  const where = `${route.method} ${route.url} answered ${status}`;
  // The server's own check (VALIDATE_RESPONSES) refused the answer: its message names the difference.
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  if (error?.code === 'answer_not_as_declared') return error.message ?? where;
  if (status >= 400) return check(ERROR_ANSWER, body, `${where} (an error)`);
  const declared = (route.schema?.response ?? {}) as Record<string, Record<string, unknown>>;
  const schema = declared[String(status)] ?? declared[`${String(status)[0]}xx`];
  if (schema === undefined) return `${where}, a status its schema.response does not declare`;
  if (schema['type'] === 'null') return body === null ? null : `${where} with a body, but declares none`;
  const content = schema['content'] as Record<string, { schema: object }> | undefined;
  if (content === undefined) return check(schema, body, where);
  const mediaType = (contentType ?? '').split(';')[0]!.trim();
  const declaredType = content[mediaType];
  if (declaredType === undefined) return `${where} as ${mediaType}, which it does not declare (${Object.keys(content).join(', ')})`;
  return mediaType === 'application/json' ? check(declaredType.schema, body, where) : null;
}

function check(schema: object, body: unknown, where: string): string | null {
  const validate = ajv.compile(schema);
  if (validate(body)) return null;
  return `${where} with a body its schema does not describe: ${ajv.errorsText(validate.errors, { separator: '; ' })}`;
}
