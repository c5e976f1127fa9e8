import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { answer, instant, text } from '../src/api/answers/answer-schema.ts';
import { installAnswerSerializer } from '../src/http/answer-serializer.ts';
import { installErrorHandling } from '../src/http/error-handler.ts';

/** A route whose handler answers one field more than its schema declares (as a handler changed without its schema would). */
async function appWith(check: boolean) {
  const app = Fastify();
  installAnswerSerializer(app, check);
  installErrorHandling(app);
  app.get('/thing', { schema: { response: { 200: answer({ id: text, at: instant }) } } }, async () => ({
    id: 'thing_1',
    at: new Date(Date.UTC(2026, 5, 1)),
    added_later: 7,
  }));
  app.get('/exact', { schema: { response: { 200: answer({ id: text, at: instant }) } } }, async () => ({
    id: 'thing_2',
    at: new Date(Date.UTC(2026, 5, 1)),
  }));
  await app.ready();
  return app;
}

describe('answers with a declared response schema', () => {
  it('are written by JSON.stringify: a field the schema lacks is neither dropped nor converted', async () => {
    const app = await appWith(false);
    const res = await app.inject({ method: 'GET', url: '/thing' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'thing_1', at: '2026-06-01T00:00:00.000Z', added_later: 7 });
    await app.close();
  });

  it('with the check on (VALIDATE_RESPONSES), a field the schema lacks is a 500 naming the route and the field', async () => {
    const app = await appWith(true);
    const res = await app.inject({ method: 'GET', url: '/thing' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('answer_not_as_declared');
    expect(res.json().error.message).toContain('GET /thing');
    expect(res.json().error.message).toContain('added_later');
    // An answer as declared passes the check unchanged (dates as ISO-8601, as on the wire).
    const exact = await app.inject({ method: 'GET', url: '/exact' });
    expect(exact.statusCode).toBe(200);
    expect(exact.json()).toEqual({ id: 'thing_2', at: '2026-06-01T00:00:00.000Z' });
    await app.close();
  });
});
