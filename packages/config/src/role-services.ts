import { type Config, ConfigError, type Role } from './config.ts';

/** The scale-out services, by the variable that points at each. */
export type ServiceVariable = 'DATABASE_URL' | 'REDIS_URL' | 'NATS_URL' | 'CLICKHOUSE_URL';

const URL_OF: Record<ServiceVariable, (c: Config) => string | null> = {
  DATABASE_URL: (c) => c.databaseUrl,
  REDIS_URL: (c) => c.redisUrl,
  NATS_URL: (c) => c.natsUrl,
  CLICKHOUSE_URL: (c) => c.clickhouseUrl,
};

/**
 * What each role cannot start without (docs/scale-out-partitioning.md says why):
 *  - ingest: API keys and links (PostgreSQL), dedupe, touchpoint index, flood counts and rate
 *    limits shared by every ingest (Redis), the stream it acknowledges into (NATS);
 *  - worker: the stream, the shared attribution state, the event store, and the postback outbox
 *    and app settings in PostgreSQL;
 *  - api: control data and analytics.
 */
export const ROLE_SERVICES: Record<Exclude<Role, 'all'>, readonly ServiceVariable[]> = {
  ingest: ['DATABASE_URL', 'REDIS_URL', 'NATS_URL'],
  worker: ['DATABASE_URL', 'REDIS_URL', 'NATS_URL', 'CLICKHOUSE_URL'],
  api: ['DATABASE_URL', 'CLICKHOUSE_URL'],
};

const ALL_SERVICES: readonly ServiceVariable[] = ['DATABASE_URL', 'REDIS_URL', 'NATS_URL', 'CLICKHOUSE_URL'];

/**
 * True when the roles run over the stream and shared state: any role but `all`, or `all` given
 * NATS_URL or REDIS_URL. `all` without them is the embedded profile (DATABASE_URL and
 * CLICKHOUSE_URL may still replace PGlite and chDB there).
 */
export function isScaleOut(config: Pick<Config, 'role' | 'natsUrl' | 'redisUrl'>): boolean {
  return config.role !== 'all' || config.natsUrl !== null || config.redisUrl !== null;
}

/** Stops start-up with one line naming the first service variable the role needs and lacks. */
export function assertRoleServices(config: Config): void {
  if (!isScaleOut(config)) return;
  const needed = config.role === 'all' ? ALL_SERVICES : ROLE_SERVICES[config.role];
  for (const variable of needed) {
    if (URL_OF[variable](config)) continue;
    const who = config.role === 'all' ? 'ROLE=all on the scale-out services (NATS_URL or REDIS_URL is set)' : `ROLE=${config.role}`;
    throw new ConfigError(
      variable,
      `${who} needs it (${needed.join(', ')}); set it, or run ROLE=all without NATS_URL and REDIS_URL for the embedded profile`,
    );
  }
}
