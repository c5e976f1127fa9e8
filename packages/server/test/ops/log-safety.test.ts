import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logSafeIp, requestIdFrom } from '../../src/ops/log-safety.ts';
import { createLogger } from '../../src/ops/logger.ts';

describe('log safety', () => {
  it('keeps the /24 of IPv4 and the /48 of IPv6, never the address', () => {
    expect(logSafeIp('203.0.113.77')).toBe('203.0.113.0/24');
    expect(logSafeIp('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(logSafeIp('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(logSafeIp('not an ip')).toBe('unparsable');
  });

  it('accepts a plain request id and replaces anything else', () => {
    expect(requestIdFrom('req-1:2/3+4=5.6_7')).toBe('req-1:2/3+4=5.6_7');
    for (const bad of ['', 'a'.repeat(129), 'has space', 'new\nline', '{"json":1}', ['a', 'b']]) {
      expect(requestIdFrom(bad as string)).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redacts credentials wherever a caller puts them, up to two levels down', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ password: 'pw-1', headers: { authorization: 'Bearer tok-2', 'x-api-key': 'key-3', cookie: 'c-4' } }, 'a');
    logger.info({ body: { refresh_token: 'rt-5', sdk_key: 'sdk-6' }, req: { headers: { authorization: 'Basic b-7' } } }, 'b');
    logger.child({ listener: 'api' }).info({ user: { new_password: 'np-8', access_token: 'at-9' } }, 'c');
    for (const secret of ['pw-1', 'tok-2', 'key-3', 'c-4', 'rt-5', 'sdk-6', 'b-7', 'np-8', 'at-9']) expect(out).not.toContain(secret);
    expect(out.match(/\[redacted\]/g)?.length).toBe(9);
  });
});
