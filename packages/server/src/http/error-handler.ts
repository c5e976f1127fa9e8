import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from './app-error.ts';
import { storeErrorToAppError } from './store-errors.ts';

/** Fastify's own client errors, translated into docs/api.md §1 codes. */
const FASTIFY_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'The request body is larger than allowed (500 KB). Send fewer events per request.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as application/json.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'empty_body', 'The request body is empty; send a JSON document.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length', 'The Content-Length header does not match the body.'],
  FST_ERR_VALIDATION: [400, 'invalid_request', 'The request does not match what this route expects.'],
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError | AppError, req, reply) => {
    const err = storeErrorToAppError(thrown) ?? thrown;
    if (err instanceof AppError) {
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
      if (err.status >= 500) req.log.warn({ code: err.code, msg: err.message }, 'request refused');
      return reply.code(err.status).send(err.body());
    }
    if (err.code === 'FST_ERR_VALIDATION' && err.validation) {
      // Name what is wrong (an unknown field, a missing one), so the caller can fix the request.
      const problems = err.validation.map((v) => ({
        where: `${err.validationContext ?? 'body'}${v.instancePath ?? ''}`,
        problem: v.message ?? 'is invalid',
        ...(v.params && 'additionalProperty' in v.params ? { field: v.params.additionalProperty } : {}),
        ...(v.params && 'missingProperty' in v.params ? { field: v.params.missingProperty } : {}),
      }));
      return reply.code(400).send({
        error: {
          code: 'invalid_request',
          message: `The request does not match what this route expects: ${err.message}.`,
          details: { problems },
        },
      });
    }
    const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
    if (known) {
      const [status, code, message] = known;
      return reply.code(status).send({ error: { code, message } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: { code: 'bad_request', message: err.message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .code(500)
      .send({ error: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged. Retry later.' } });
  });
  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).send({ error: { code: 'not_found', message: 'No such route. See docs/api.md for the routes this server answers.' } });
  });
}
