import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/** The ioredis client the adapters are written against. */
export type RedisClient = Redis;

export interface OpenRedisOptions {
  /**
   * Put before every key this deployment writes, so several deployments (or test runs) can share
   * one server; letters, digits and `_ - . :` only. A `:` is added when missing. Default `unmogrowp:`.
   */
  prefix?: string;
  /** Called with every connection-level error (ops count them); commands still reject on their own. */
  onError?: (err: Error) => void;
  /** Give up on a connection attempt after this long (default 5 s). */
  connectTimeoutMs?: number;
  /** A command not answered within this long rejects (default 5 s), so a stuck server turns into 503s, not hangs. */
  commandTimeoutMs?: number;
}

/** A connection with the key prefix every adapter puts before its keys. */
export interface RedisHandle {
  readonly client: RedisClient;
  readonly prefix: string;
  /** Resolves when the server answers PING; for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** ioredis is CommonJS: required synchronously on the first connection (openRedis stays synchronous). */
const require = createRequire(import.meta.url);

const PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

export function redisPrefix(prefix: string): string {
  if (!PREFIX.test(prefix)) throw new Error(`Redis key prefix "${prefix}" must be 1–64 of letters, digits, "_", "-", "." or ":"`);
  return prefix.endsWith(':') ? prefix : `${prefix}:`;
}

/**
 * Opens a connection to `url` (`redis://[user:password@]host:port[/db]`, or `rediss://` for TLS).
 * Reconnects for ever with a backoff capped at 2 s; while disconnected, a command is retried
 * once on the next connection and then rejects, so callers fail fast instead of queueing
 * without bound. Auto-pipelining batches the commands issued in one tick into one write.
 */
export function openRedis(url: string, options: OpenRedisOptions = {}): RedisHandle {
  const prefix = redisPrefix(options.prefix ?? 'unmogrowp:');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('Redis URL is not a URL: expected redis://host:port');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`Redis URL must start with redis:// or rediss://, not ${parsed.protocol}//`);
  }
  // Required here, not at module load: the embedded start imports this package but never Redis.
  const { Redis } = require('ioredis') as typeof import('ioredis');
  const client = new Redis(url, {
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    commandTimeout: options.commandTimeoutMs ?? 5_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), 2_000),
    enableAutoPipelining: true,
  });
  // Without a listener ioredis prints every reconnect failure; with one, ops decides.
  client.on('error', (err: Error) => options.onError?.(err));
  return {
    client,
    prefix,
    ping: async () => {
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`Redis answered PING with ${answer}`);
    },
    close: async () => {
      if (client.status === 'end') return;
      await client.quit().catch(() => client.disconnect());
    },
  };
}
