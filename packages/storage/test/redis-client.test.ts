import { describe, expect, it } from 'vitest';
import { openRedis, redisPrefix } from '../src/index.ts';
import { describeWithRedis, probeRedis, REDIS_TEST_URL } from './support/redis.ts';

describe('openRedis input', () => {
  it('refuses what is not a redis:// URL, and odd prefixes, with a sentence', () => {
    expect(() => openRedis('localhost:6379')).toThrow(/redis:\/\//);
    expect(() => openRedis('http://127.0.0.1:6379')).toThrow(/must start with redis:\/\/ or rediss:\/\//);
    expect(() => openRedis('not a url')).toThrow(/not a URL/);
    expect(() => redisPrefix('a b')).toThrow(/letters, digits/);
    expect(() => redisPrefix('')).toThrow(/letters, digits/);
    expect(redisPrefix('unmogrowp')).toBe('unmogrowp:');
    expect(redisPrefix('team.a:')).toBe('team.a:');
  });
});

describeWithRedis('openRedis', await probeRedis(), () => {
  it('answers ping, reports connection errors to onError, and fails a command fast when the server is gone', async () => {
    const redis = openRedis(REDIS_TEST_URL, { prefix: 'unmogrowp_test:client:' });
    await redis.ping();
    expect(redis.prefix).toBe('unmogrowp_test:client:');
    await redis.close();
    await redis.close();

    const errors: Error[] = [];
    const nowhere = openRedis('redis://127.0.0.1:1', { onError: (err) => errors.push(err), connectTimeoutMs: 500 });
    const started = Date.now();
    await expect(nowhere.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(errors.length).toBeGreaterThan(0);
    nowhere.client.disconnect();
  });
});
