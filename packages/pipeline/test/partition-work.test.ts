import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultSettings } from '@unmogrowp/attribution';
import { type EventStore, MemoryClickFloodCounter, MemoryTouchpointIndex, openChdbEventStore } from '@unmogrowp/storage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, probeRedis } from '../../storage/test/support/redis.ts';
import {
  type AttributionDeps,
  type DecidedInstall,
  fencedHandler,
  InsertPlans,
  insertPlanId,
  LeaseLostError,
  type LogRecord,
  PartitionLeases,
  RedisDeviceRegistry,
  RedisInstallDecisions,
} from '../src/index.ts';
import { event } from './support/event-log-contract.ts';

const TTL = 400;
let dir: string;
let store: EventStore;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-fenced-'));
  store = await openChdbEventStore(dir);
  await store.migrate();
});
afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const install = (device: string) => ({ ...event(`install-${device}`, device), type: 'install' as const, name: '' });
/** No stream here: nothing is left pending by another holder, so nothing is read back. */
const noStream = { identity: 'no-stream', readRecords: async () => Promise.reject(new Error('no stream in this test')) };
const records = (items: ReturnType<typeof event>[], replayed = false): LogRecord[] => [{ seq: 1, items, replayed }];

describeWithRedis('a worker that lost its partition commits nothing (Redis fencing)', await probeRedis(), (connect) => {
  it('a former holder’s batch fails the fencing check; the new holder decides once; a re-delivery adds nothing', async () => {
    const redis = connect();
    const attribution: AttributionDeps = {
      touchpoints: new MemoryTouchpointIndex(),
      devices: new RedisDeviceRegistry(redis),
      floods: new MemoryClickFloodCounter(),
      settingsOf: async () => defaultSettings(),
      globalBlocked: [],
      decisions: new RedisInstallDecisions(redis),
    };
    const zombie = new PartitionLeases(redis, 'zombie', TTL);
    // The successor's lease outlives its three runs (it also settles each batch's plan under it).
    const successor = new PartitionLeases(connect(redis), 'successor', 30_000);
    const stale = (await zombie.acquire(0))!;
    await sleep(TTL + 50); // the zombie paused past its lease; the successor takes the partition
    const current = (await successor.acquire(0))!;
    const batch = [install('d-1'), event('buy-1', 'd-1')];

    const zombieRun = fencedHandler(
      { leases: zombie, plans: new InsertPlans(redis, zombie), log: noStream, pipeline: { store, attribution } },
      stale,
    );
    await expect(zombieRun(records(batch))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await attribution.devices.get('app_1', 'd-1')).toBeNull();
    expect((await store.existingIds('installs', [{ app_id: 'app_1', event_id: 'install-d-1' }])).size).toBe(0);

    const run = fencedHandler(
      { leases: successor, plans: new InsertPlans(redis, successor), log: noStream, pipeline: { store, attribution } },
      current,
    );
    await run(records(batch));
    const state = await attribution.devices.get('app_1', 'd-1');
    expect(state?.install_id).toBe('install-d-1');
    // Delivered again (the successor died before its ack): stored once all the same.
    await run(records(batch, true));
    await run(records(batch));
    expect((await store.existingIds('installs', [{ app_id: 'app_1', event_id: 'install-d-1' }])).size).toBe(1);
    expect((await store.existingIds('events', [{ app_id: 'app_1', event_id: 'buy-1' }])).size).toBe(1);
  });

  it('times each stage of a batch, and a batch redone under its pending plan skips the store check', async () => {
    const redis = connect();
    const attribution: AttributionDeps = {
      touchpoints: new MemoryTouchpointIndex(),
      devices: new RedisDeviceRegistry(redis),
      floods: new MemoryClickFloodCounter(),
      settingsOf: async () => defaultSettings(),
      globalBlocked: [],
      decisions: new RedisInstallDecisions(redis),
    };
    const leases = new PartitionLeases(redis, 'timed', 30_000);
    const lease = (await leases.acquire(1))!;
    const plans = new InsertPlans(redis, leases);
    const stages: string[] = [];
    const options = { leases, plans, log: noStream, pipeline: { store, attribution }, onStage: (stage: string) => stages.push(stage) };
    await fencedHandler(options, lease)([{ seq: 7, items: [install('d-t'), event('buy-t', 'd-t')], replayed: false }]);
    expect(stages).toEqual(['prefetch', 'attribute', 'store_check', 'plan_fix', 'insert_installs', 'insert_events', 'settle']);

    // A batch whose plan is left pending (its holder died after fixing it) is redone as planned: no look-up.
    const pending = { partition: 1, id: insertPlanId(noStream.identity, 1, [8]), seqs: [8], stored: {} };
    expect(await plans.fix(lease, pending)).toBe('fixed');
    stages.length = 0;
    await fencedHandler(options, lease)([{ seq: 8, items: [event('buy-u', 'd-t')], replayed: true }]);
    expect(stages).toEqual(['prefetch', 'attribute', 'plan_fix', 'insert_events', 'settle']);
    expect(await plans.pending(1)).toBeNull();
  });

  it('the decision guard answers the first decision to whoever decides the same install again', async () => {
    const decisions = new RedisInstallDecisions(connect());
    const first = {
      app_id: 'a',
      install_id: 'i-1',
      attribution: { status: 'attributed', media_source: 'meta_ads' },
    } as unknown as DecidedInstall;
    const second = {
      app_id: 'a',
      install_id: 'i-1',
      attribution: { status: 'organic', media_source: 'organic' },
    } as unknown as DecidedInstall;
    expect(await decisions.settle(first)).toEqual(first);
    expect(await decisions.settle(second)).toEqual(first);
  });
});
