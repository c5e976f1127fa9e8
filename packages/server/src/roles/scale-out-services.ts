import path from 'node:path';
import type { Config } from '@unmogrowp/config';
import { type JetStreamLog, openJetStreamLog } from '@unmogrowp/pipeline';
import { type EventStore, openChdbEventStore, openClickHouseEventStore, openRedis, type RedisHandle } from '@unmogrowp/storage';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.ts';
import { countedEventStore, countedLogAppends, countRedisConnectionError, countRedisErrors } from '../ops/store-error-counting.ts';

/**
 * Opening the scale-out services from the configuration, one function each, so a role opens
 * only what it needs (config's ROLE_SERVICES says which; a missing URL stopped start-up before).
 */
export function openRedisFor(config: Config, logger: Logger, metrics: Metrics): RedisHandle {
  let lastReported = 0;
  const handle = openRedis(config.redisUrl!, {
    prefix: config.redisPrefix,
    // Reconnects are retried for ever; one log line per 10 s is enough to see the outage.
    onError: (err) => {
      countRedisConnectionError(metrics);
      if (Date.now() - lastReported < 10_000) return;
      lastReported = Date.now();
      logger.warn({ err: err.message }, 'Redis connection error; retrying');
    },
  });
  return countRedisErrors(handle, metrics);
}

/** Failed appends (JetStream publishes) are counted as `store_errors_total{store="nats"}`. */
export async function openStreamFor(config: Config, name: string, metrics: Metrics): Promise<JetStreamLog> {
  const log = await openJetStreamLog({
    servers: config.natsUrl!,
    prefix: config.natsPrefix,
    partitions: config.natsPartitions,
    replicas: config.natsReplicas,
    maxBytes: config.natsMaxBytes,
    maxAgeMs: config.natsMaxAgeHours * 3_600_000,
    name,
  });
  return countedLogAppends(log, metrics);
}

/**
 * ClickHouse when CLICKHOUSE_URL is set, else chDB in DATA_DIR; migrated either way. Failed
 * calls count as `store_errors_total{store="clickhouse"}` (chDB is the same engine in-process).
 */
export async function openEventStoreFor(config: Config, metrics: Metrics): Promise<EventStore> {
  const store = config.clickhouseUrl
    ? await openClickHouseEventStore({ url: config.clickhouseUrl })
    : await openChdbEventStore(path.join(config.dataDir, 'events'));
  await store.migrate();
  return countedEventStore(store, metrics);
}
