import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { expect, it } from 'vitest';
import { lazyRequestLogger } from '../src/http/lazy-request-logger.ts';
import { createLogger } from '../src/ops/logger.ts';

/** The process logger as the server makes it (redaction included), writing into an array. */
function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const parent = createLogger(level, out).child({ listener: 'ingest' }) as unknown as FastifyBaseLogger;
  let children = 0;
  const counting = new Proxy(parent, {
    get: (target, prop) => {
      if (prop === 'child') children++;
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { lines, log: lazyRequestLogger(counting, { request_id: 'r-1' }, {}), children: () => children };
}

it('writes the request lines a pino child writes: request id, fields redacted, one child per request', () => {
  const { lines, log, children } = capture('info');
  log.info({ method: 'GET', status: 302, password: 'hunter2' }, 'request');
  log.warn('slow: %d ms', 12);
  expect(lines).toMatchObject([
    { level: 30, listener: 'ingest', request_id: 'r-1', method: 'GET', status: 302, password: '[redacted]', msg: 'request' },
    { level: 40, listener: 'ingest', request_id: 'r-1', msg: 'slow: 12 ms' },
  ]);
  expect(children()).toBe(1);
});

it('makes no child and writes nothing for a level that is off', () => {
  const { lines, log, children } = capture('warn');
  log.info({ method: 'GET' }, 'request');
  log.debug('detail');
  expect(lines).toEqual([]);
  expect(children()).toBe(0);
  expect(log.level).toBe('warn');
});

it('makes the child once for an Error, a child logger and a level change', () => {
  const { lines, log, children } = capture('info');
  log.error(new Error('boom'));
  log.child({ step: 'x' }).info('inner');
  log.level = 'error';
  log.info('not written');
  log.error({ code: 'e' }, 'after');
  expect(children()).toBe(1);
  expect(lines).toMatchObject([
    { level: 50, request_id: 'r-1', err: { message: 'boom' }, msg: 'boom' },
    { level: 30, request_id: 'r-1', step: 'x', msg: 'inner' },
    { level: 50, request_id: 'r-1', code: 'e', msg: 'after' },
  ]);
});
