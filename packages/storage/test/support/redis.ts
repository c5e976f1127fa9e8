import { randomBytes } from 'node:crypto';
import { afterAll, describe, it } from 'vitest';
import { openRedis, type RedisHandle } from '../../src/index.ts';
import { servicesRequired } from './postgres.ts';

/**
 * Redis for tests: the machine's server (REDIS_TEST_URL), shared with other test runs, so every
 * run writes under its own random key prefix and deletes exactly those keys afterwards.
 */
export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

export type RedisAvailability = { available: true } | { available: false; reason: string };

export async function probeRedis(url: string = REDIS_TEST_URL): Promise<RedisAvailability> {
  const handle = openRedis(url, { connectTimeoutMs: 2_000, commandTimeoutMs: 2_000 });
  try {
    await handle.ping();
    return { available: true };
  } catch (err) {
    return { available: false, reason: `Redis at ${url} is unreachable (${(err as Error).message})` };
  } finally {
    handle.client.disconnect();
  }
}

/** A connection under a fresh `unmogrowp_test:<random>:` prefix, or under `samePrefixAs`'s (a second process). */
export function openTestRedis(samePrefixAs?: RedisHandle): RedisHandle {
  return openRedis(REDIS_TEST_URL, { prefix: samePrefixAs?.prefix ?? `unmogrowp_test:${randomBytes(6).toString('hex')}:` });
}

/** Deletes every key under the handle's prefix (SCAN + DEL: never the whole database). */
export async function deletePrefixed(handle: RedisHandle): Promise<number> {
  if (!handle.prefix.startsWith('unmogrowp_test:')) throw new Error(`refusing to delete keys under ${handle.prefix}`);
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await handle.client.scan(cursor, 'MATCH', `${handle.prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await handle.client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * `describe` for a Redis suite: runs `body` with a way to get prefixed connections when the
 * server answers; otherwise a visibly skipped suite, or a failing test when REQUIRE_SERVICES=1.
 * Every connection handed out is emptied of its keys and closed after the suite.
 */
export function describeWithRedis(
  title: string,
  availability: RedisAvailability,
  body: (connect: (samePrefixAs?: RedisHandle) => RedisHandle) => void,
): void {
  if (!availability.available) {
    if (servicesRequired()) {
      describe(title, () => {
        it('needs a reachable Redis (REQUIRE_SERVICES=1)', () => {
          throw new Error(availability.reason);
        });
      });
    } else {
      console.warn(`[skip] ${title}: ${availability.reason}`);
      // Skipped only when Redis is absent and REQUIRE_SERVICES is not 1 (CI sets it, so there it fails instead).
      describe.skip(`${title} — skipped: ${availability.reason}`, () => body(openTestRedis));
    }
    return;
  }
  describe(title, () => {
    const opened: RedisHandle[] = [];
    afterAll(async () => {
      for (const handle of opened) {
        await deletePrefixed(handle);
        await handle.close();
      }
    });
    body((samePrefixAs) => {
      const handle = openTestRedis(samePrefixAs);
      opened.push(handle);
      return handle;
    });
  });
}
