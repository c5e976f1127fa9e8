import { describe, expect, it } from 'vitest';
import { BodyError, isBodyError, MAX_BATCH, normalizeNative, normalizeNativeBatch } from '../src/index.ts';
import { bodyErrorOf, context, iso, RECEIVED_AT } from './helpers.ts';

/** What the whole-request errors say: the route sends `toBody()` with `statusCode`. */
describe('whole-request errors', () => {
  it.each([
    ['a string', 'events', 'string'],
    ['null', null, 'null'],
    ['an array', [], 'array'],
    ['a number', 7, 'number'],
  ])('a body that is %s names what came', (_label, body, received) => {
    const error = bodyErrorOf(() => normalizeNative(body, context())) as BodyError;
    expect(error.toBody()).toEqual({
      error: {
        code: 'invalid_body',
        message: `The request body must be one event object, not ${received}. Send JSON with Content-Type: application/json.`,
        details: { expected: 'one event object', received },
      },
    });
    expect([error.status, error.statusCode, error.name, isBodyError(error)]).toEqual([400, 400, 'BodyError', true]);
  });

  it('a batch without its list says which list and shows the shape', () => {
    const error = bodyErrorOf(() => normalizeNativeBatch({}, context())) as BodyError;
    expect(error.toBody().error).toEqual({
      code: 'missing_field',
      message: expect.stringMatching(/^The request body needs a `events` array, as in .+\.$/),
      details: { field: 'events' },
    });
  });

  it.each([
    ['an object', { 0: {} }, 'object'],
    ['a string', 'e1,e2', 'string'],
    ['a number', 3, 'number'],
  ])('a list that is %s names what came', (_label, events, received) => {
    expect((bodyErrorOf(() => normalizeNativeBatch({ events }, context())) as BodyError).toBody().error).toEqual({
      code: 'invalid_type',
      message: `\`events\` must be an array of events, not ${received}.`,
      details: { field: 'events', expected: 'array', received },
    });
  });

  it('a batch one over the limit says the limit, its size and what to do', () => {
    const event = { event_id: 'e', type: 'open', timestamp: iso(RECEIVED_AT), device: { id: 'd', platform: 'ios' } };
    const events = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ ...event, event_id: `e${i}` }));
    expect((bodyErrorOf(() => normalizeNativeBatch({ events }, context())) as BodyError).toBody().error).toEqual({
      code: 'batch_too_large',
      message: `A batch may hold at most 1000 events; this one has 1001. Split it into smaller batches.`,
      details: { max: 1000, received: 1001 },
    });
  });

  it('leaves details out of the body when there are none', () => {
    expect(new BodyError(413, 'too_big', 'Too big.').toBody()).toEqual({ error: { code: 'too_big', message: 'Too big.' } });
  });
});
