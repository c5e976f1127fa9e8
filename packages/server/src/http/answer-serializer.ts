import { Ajv, type ErrorObject } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error.ts';

/**
 * How answers with a declared `schema.response` are written (api/answers/answer-schema.ts says
 * how a route declares one). Fastify's default would compile the schema with
 * fast-json-stringify, which drops every property the schema does not list and coerces types: a
 * schema gap would then silently cut a field from the answer. Here the schema documents and
 * checks, and never reshapes: the body is always `JSON.stringify`'s.
 *
 * With `check` on (`VALIDATE_RESPONSES=true`; every test platform runs so), the written JSON is
 * read back and validated against the schema first; a mismatch is a 500 naming the route and the
 * difference, so an answer that grows a field its schema (and hence the OpenAPI document and
 * the dashboard's generated types) does not have fails the test that sees it.
 */
export function installAnswerSerializer(app: FastifyInstance, check: boolean): void {
  // Formats (date-time, date) are documentation here: the shapes and types are what is checked.
  const ajv = check ? new Ajv({ allErrors: true, strict: false, validateFormats: false }) : null;
  app.setSerializerCompiler(({ schema, method, url, httpStatus }) => {
    if (!ajv) return (data: unknown) => JSON.stringify(data);
    const validate = ajv.compile(schema as object);
    return (data: unknown) => {
      const json = JSON.stringify(data);
      if (!validate(json === undefined ? null : JSON.parse(json))) {
        throw new AppError(
          500,
          'answer_not_as_declared',
          `${method} ${url} answered ${httpStatus} with a body its response schema does not describe: ${describe(validate.errors ?? [])}`,
          { errors: validate.errors ?? [] },
        );
      }
      return json;
    };
  });
}

function describe(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map((e) => {
      const extra = e.params && 'additionalProperty' in e.params ? ` (${String(e.params['additionalProperty'])})` : '';
      return `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}
