import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { defaultSettings } from '@unmogrowp/attribution';
import type { IngestItem } from '@unmogrowp/schema';
import {
  createTransportEventStore,
  type EventStore,
  type EventStoreTransport,
  MemoryClickFloodCounter,
  MemoryTouchpointIndex,
  openClickHouseTransport,
  type RedisHandle,
} from '@unmogrowp/storage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDevClickHouse } from '../../storage/src/events/dev-clickhouse/index.ts';
import { deletePrefixed, openTestRedis, probeRedis } from '../../storage/test/support/redis.ts';
import {
  type AttributionDeps,
  fencedHandler,
  InsertPlans,
  type JetStreamLog,
  LeaseLostError,
  type LogRecord,
  openJetStreamLog,
  PartitionLeases,
  RedisDeviceRegistry,
  RedisInstallDecisions,
} from '../src/index.ts';
import { consumerOf, jetStreamSettings } from '../src/log/jetstream/jetstream-options.ts';
import { event, waitFor } from './support/event-log-contract.ts';
import { deleteStreams, describeWith, NATS_TEST_URL, probeNats, TEST_MAX_BYTES, uniquePrefix } from './support/nats.ts';

// A worker paused (not killed) right after its fencing check, before its inserts, past its lease:
// its successor takes the partition over and stores the same records (and more) while it sleeps;
// then it wakes and inserts its batch. Every record must be stored exactly once. Real Redis and
// NATS, and the ClickHouse stand-in over HTTP, whose block deduplication is the engine's own.
const TTL = 600;
const RECORDS = 6;
const LATER = 3;
const nats = await probeNats();
const redisUp = await probeRedis();
const availability = !nats.available ? nats : redisUp;

const installAndBuy = (n: number): IngestItem[] => [
  { ...event(`install-${n}`, `dev-${n}`), type: 'install', name: '' },
  event(`buy-${n}`, `dev-${n}`),
];

describeWith('a worker paused past its lease between fencing check and insert', availability, () => {
  const prefix = uniquePrefix('pause');
  let dir: string;
  let clickhouse: Awaited<ReturnType<typeof startDevClickHouse>>;
  let transport: EventStoreTransport;
  let store: EventStore;
  let log: JetStreamLog;
  let nc: NatsConnection;
  let redis: RedisHandle;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-pause-'));
    clickhouse = await startDevClickHouse({ dataDir: path.join(dir, 'clickhouse') });
    transport = await openClickHouseTransport({ url: clickhouse.url });
    store = createTransportEventStore(transport);
    await store.migrate();
    log = await openJetStreamLog({ servers: NATS_TEST_URL, prefix, partitions: 1, maxBytes: TEST_MAX_BYTES });
    nc = await connect({ servers: NATS_TEST_URL });
    redis = openTestRedis();
  }, 60_000);
  afterAll(async () => {
    await log?.close();
    await nc?.close();
    await deleteStreams(NATS_TEST_URL, prefix).catch(() => {});
    if (redis) await deletePrefixed(redis);
    await redis?.close();
    await store?.close();
    await clickhouse?.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  const count = async (sql: string) => Number(JSON.parse((await transport.query(sql, {}, 'JSONEachRow')).trim()).n);

  it('stores every record once: the successor redoes the paused batch under its plan, the late insert is dropped', async () => {
    const attribution: AttributionDeps = {
      touchpoints: new MemoryTouchpointIndex(),
      devices: new RedisDeviceRegistry(redis),
      floods: new MemoryClickFloodCounter(),
      settingsOf: async () => defaultSettings(),
      globalBlocked: [],
      decisions: new RedisInstallDecisions(redis),
    };
    for (let n = 0; n < RECORDS; n++) await log.append(installAndBuy(n));

    // The paused worker: it received every record so far (delivered, not acked) as one batch.
    const zombieLeases = new PartitionLeases(redis, 'zombie', TTL);
    const zombieLease = (await zombieLeases.acquire(0))!;
    const settings = jetStreamSettings({ servers: NATS_TEST_URL, prefix, partitions: 1 });
    const consumer = await jetstream(nc).consumers.get(settings.stream, consumerOf(settings, 0));
    const delivered: LogRecord[] = [];
    for await (const m of await consumer.fetch({ max_messages: RECORDS, expires: 5_000 })) {
      delivered.push({ seq: m.seq, items: JSON.parse(m.string()), replayed: false });
      if (delivered.length === RECORDS) break;
    }
    expect(delivered).toHaveLength(RECORDS);
    let paused!: () => void;
    const reachedPause = new Promise<void>((resolve) => (paused = resolve));
    let wake!: () => void;
    const wakeUp = new Promise<void>((resolve) => (wake = resolve));
    const zombie = fencedHandler(
      {
        leases: zombieLeases,
        plans: new InsertPlans(redis, zombieLeases),
        log,
        pipeline: { store, attribution },
        afterFence: async () => {
          paused();
          await wakeUp;
        },
      },
      zombieLease,
    );
    const zombieRun = zombie(delivered);
    await reachedPause;

    // While it sleeps: its lease runs out, newer records arrive, and a successor takes over.
    for (let n = RECORDS; n < RECORDS + LATER; n++) await log.append(installAndBuy(n));
    await sleep(TTL + 100);
    const successorLeases = new PartitionLeases(redis, 'successor', TTL * 100);
    const successorLease = (await successorLeases.acquire(0))!;
    expect(successorLease.token).toBeGreaterThan(zombieLease.token);
    // One record per batch: the successor's first batch holds only part of the paused batch,
    // so it reads the rest of that plan from the stream.
    const successor = log.consumePartitions(
      [0],
      fencedHandler(
        { leases: successorLeases, plans: new InsertPlans(redis, successorLeases), log, pipeline: { store, attribution } },
        successorLease,
      ),
      { maxBatchItems: 1, minBatchIntervalMs: 0 },
    );
    const total = RECORDS + LATER;
    const storedEverything = async () =>
      (await count('SELECT count() AS n FROM events')) >= total * 2 && (await log.pendingByPartition([0])).get(0) === 0;
    await waitFor(storedEverything, 30_000, 'the successor to store everything');
    await successor.stop();

    // The zombie wakes and inserts its batch: the store drops it, and it may not settle the plan.
    wake();
    await expect(zombieRun).rejects.toBeInstanceOf(LeaseLostError);

    expect(await count("SELECT count() AS n FROM events WHERE type = 'event'")).toBe(total);
    expect(await count('SELECT count() AS n FROM installs')).toBe(total);
    expect(await count('SELECT count(DISTINCT event_id) AS n FROM events')).toBe(total * 2);
    expect(await count('SELECT count() AS n FROM events')).toBe(total * 2);
    // The rollups (materialized views) count each install once as well.
    const overview = await store.overview('app_1', { from: 1_600_000_000_000, to: 1_800_000_000_000 });
    expect(overview.installs).toBe(total);
  }, 90_000);
});
