import type { EventLog } from '@unmogrowp/pipeline';
import type { EventStore, RedisHandle } from '@unmogrowp/storage';
import { counted, type scaleOutMetrics } from './scale-out-metrics.ts';

type StoreErrors = Pick<ReturnType<typeof scaleOutMetrics>, 'storeErrors'>;

/** Redis commands that only read; every other command (writes, scripts) counts as a write. */
const REDIS_READS = new Set([
  'get',
  'mget',
  'hget',
  'hmget',
  'hgetall',
  'hlen',
  'exists',
  'ttl',
  'pttl',
  'scan',
  'zscore',
  'zcard',
  'zcount',
  'zrange',
  'zrangebyscore',
  'zrevrange',
  'zrevrangebyscore',
  'scard',
  'smembers',
  'sismember',
  'ping',
  'strlen',
  'type',
]);

/** Sent by the client itself on each (re)connect; an older server refusing one (CLIENT SETINFO) is no failure. */
const HANDSHAKE = new Set(['hello', 'client', 'info', 'auth', 'select']);

/**
 * Counts every failed Redis command of this connection in `unmogrowp_store_errors_total{store="redis"}`,
 * at the one place all commands pass (ioredis's `sendCommand`, pipelined ones included), so no
 * adapter call site has to. The command's own promise is untouched: callers see the same error.
 */
export function countRedisErrors(handle: RedisHandle, metrics: StoreErrors): RedisHandle {
  const client = handle.client as unknown as { sendCommand: (command: RedisCommand, ...rest: unknown[]) => unknown };
  const send = client.sendCommand.bind(client);
  // An auto-pipelined command passes here twice (queued, then written): count it once.
  const seen = new WeakSet<RedisCommand>();
  client.sendCommand = (command, ...rest) => {
    if (seen.has(command) || HANDSHAKE.has(command.name)) return send(command, ...rest);
    seen.add(command);
    command.promise?.catch(() => metrics.storeErrors.labels('redis', REDIS_READS.has(command.name) ? 'read' : 'write').inc());
    return send(command, ...rest);
  };
  return handle;
}

interface RedisCommand {
  name: string;
  promise?: Promise<unknown>;
}

/** A connection error of the Redis client (it reconnects on its own); counted once per error event. */
export function countRedisConnectionError(metrics: StoreErrors): void {
  metrics.storeErrors.labels('redis', 'connect').inc();
}

/**
 * The event store with each failed call counted in `unmogrowp_store_errors_total{store}`: inserts
 * as writes, everything else (analytics queries, ping, migrate) as reads. Wrapped once where the
 * store is opened, so the pipeline and the analytics routes need not know.
 */
export function countedEventStore(store: EventStore, metrics: StoreErrors): EventStore {
  return wrapAsyncMethods(store, (method, run) => counted(metrics, 'clickhouse', method.startsWith('insert') ? 'write' : 'read', run), [
    'close',
  ]);
}

/** The event log with failed appends (JetStream publishes) counted as `store="nats", op="write"`. */
export function countedLogAppends<L extends EventLog>(log: L, metrics: StoreErrors): L {
  const append = log.append.bind(log);
  log.append = (items) => counted(metrics, 'nats', 'write', () => append(items));
  return log;
}

function wrapAsyncMethods<T extends object>(
  target: T,
  wrap: (method: string, run: () => Promise<unknown>) => Promise<unknown>,
  skip: readonly string[],
): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      // Bound to the store itself: its methods use private fields, which a proxy does not have.
      if (typeof prop !== 'string' || skip.includes(prop)) return value.bind(obj);
      return (...args: unknown[]) => {
        const result = value.apply(obj, args);
        return result instanceof Promise ? wrap(prop, () => result) : result;
      };
    },
  });
}
