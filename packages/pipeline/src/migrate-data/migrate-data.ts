import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ACCESS_TOKEN_KEY,
  copyControlData,
  copyEventData,
  createTransportEventStore,
  lockDataDir,
  type OnProgress,
  openChdbTransport,
  openClickHouseTransport,
  openControlStore,
  openRedis,
  RedisTouchpointIndex,
  SIGNING_KEY_FILE,
  type SqlDb,
  storedSigningKey,
} from '@unmogrowp/storage';
import { RedisDeviceRegistry } from '../attribution/device-registry.redis.ts';
import { RedisDedupeIndex } from '../dedupe/dedupe-index.redis.ts';
import { openFileLog } from '../log/file-log.ts';
import { copyAttributionState } from './copy-attribution-state.ts';

export interface MigrateDataOptions {
  /** DATA_DIR of the embedded installation (stopped). */
  fromDir: string;
  databaseUrl: string;
  clickhouseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  dedupeDays: number;
  onProgress?: OnProgress;
  now?: number;
}

/**
 * `unmogrowp migrate-data`: moves an embedded installation into the scale-out services —
 * control data into PostgreSQL, analytics into ClickHouse, attribution state into Redis — so a
 * user who outgrows one machine keeps their history (docs/scale-out.md, "Moving up").
 *
 * Holds the data directory's lock for the whole run, so it refuses while the embedded server
 * runs and no server can start on the directory meanwhile. Every step is idempotent; a run that
 * was interrupted is finished by running it again.
 */
export async function migrateData(options: MigrateDataOptions) {
  const { fromDir } = options;
  const onProgress = options.onProgress ?? (() => {});
  for (const part of ['control', 'events']) {
    if (!existsSync(path.join(fromDir, part))) {
      throw new Error(`${fromDir} is not the DATA_DIR of an embedded installation (it has no ${part}/ directory)`);
    }
  }
  const unlock = await lockDataDir(fromDir);
  const closers: (() => Promise<unknown>)[] = [unlock];
  try {
    await assertLogDrained(path.join(fromDir, 'log'));
    const sourceControl = await openControlStore({ dataDir: fromDir, databaseUrl: null });
    closers.push(() => sourceControl.close());
    const targetControl = await openControlStore({ dataDir: fromDir, databaseUrl: options.databaseUrl });
    closers.push(() => targetControl.close());
    const control = await copyControlData(sourceControl, targetControl, onProgress);
    const signingKey = await carrySigningKey(fromDir, targetControl);

    const sourceTransport = await openChdbTransport(path.join(fromDir, 'events'));
    const sourceEvents = createTransportEventStore(sourceTransport);
    closers.push(() => sourceEvents.close());
    await sourceEvents.migrate();
    const targetTransport = await openClickHouseTransport({ url: options.clickhouseUrl });
    const targetEvents = createTransportEventStore(targetTransport);
    closers.push(() => targetEvents.close());
    await targetEvents.migrate();
    const events = await copyEventData(sourceTransport, targetTransport, targetEvents, onProgress);

    const redis = openRedis(options.redisUrl, { prefix: options.redisPrefix });
    closers.push(() => redis.close());
    await redis.ping();
    const state = await copyAttributionState(
      sourceEvents,
      {
        touchpoints: await RedisTouchpointIndex.open(redis),
        devices: new RedisDeviceRegistry(redis),
        dedupe: new RedisDedupeIndex(redis, { windowDays: options.dedupeDays }),
        dedupeDays: options.dedupeDays,
      },
      onProgress,
      options.now,
    );
    return { control, signingKey, events, redis: state };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}

/**
 * Records the embedded ingest accepted but its pipeline did not store yet live only in the
 * file log; copying without them would lose them. The embedded server stores them on its next
 * start, so the remedy is to start and stop it once.
 */
async function assertLogDrained(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const log = await openFileLog({ dir });
  try {
    const pending = log.pending().records;
    if (pending > 0) {
      throw new Error(
        `the embedded event log holds ${pending} accepted record(s) not stored yet: start the embedded server once so it stores them, stop it, then run migrate-data again`,
      );
    }
  } finally {
    await log.close();
  }
}

/**
 * The embedded installation signs access tokens with a key file in DATA_DIR; the scale-out api
 * processes share the one in PostgreSQL. Storing the file's key there (when PostgreSQL has none
 * yet) keeps signed-in users signed in across the move. 'kept' means PostgreSQL already had a
 * different key (it was used before the migration): users then sign in again.
 */
async function carrySigningKey(fromDir: string, target: SqlDb): Promise<'copied' | 'present' | 'kept' | 'none'> {
  const pem = await readFile(path.join(fromDir, SIGNING_KEY_FILE), 'utf8').catch(() => null);
  if (pem === null) return 'none';
  const stored = await storedSigningKey(target, ACCESS_TOKEN_KEY, () => pem);
  if (stored.created) return 'copied';
  return stored.pem === pem ? 'present' : 'kept';
}
