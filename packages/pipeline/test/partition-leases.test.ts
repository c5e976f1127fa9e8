import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { describeWithRedis, probeRedis } from '../../storage/test/support/redis.ts';
import { type Lease, type PartitionAssigner, PartitionLeases, startPartitionAssigner } from '../src/index.ts';

const TTL = 600;

describeWithRedis('partition leases and assignment (Redis)', await probeRedis(), (connect) => {
  it('one holder per partition; a new holder gets a larger fencing token; the old one fails the check', async () => {
    const redis = connect();
    const a = new PartitionLeases(redis, 'worker-a', TTL);
    const b = new PartitionLeases(connect(redis), 'worker-b', TTL);
    const first = (await a.acquire(3))!;
    expect(first).not.toBeNull();
    expect(await b.acquire(3)).toBeNull();
    expect(await a.renew(first)).toBe(true);
    expect(await a.holds(first)).toBe(true);
    await sleep(TTL + 100); // a paused: its lease expires
    const second = (await b.acquire(3))!;
    expect(second.token).toBeGreaterThan(first.token);
    expect(await a.holds(first)).toBe(false);
    expect(await a.renew(first)).toBe(false);
    await a.release(first); // a stale release must not free b's lease
    expect(await b.holds(second)).toBe(true);
    await b.release(second);
    expect(await a.acquire(3)).not.toBeNull();
  });

  it('workers share the partitions, and a dead worker’s partitions are taken by the others after its lease', async () => {
    const base = connect();
    const partitions = 8;
    const workers: { id: string; assigner: PartitionAssigner; held: Set<number>; redis: ReturnType<typeof connect> }[] = [];
    const startWorker = (id: string) => {
      const redis = connect(base);
      const held = new Set<number>();
      const assigner = startPartitionAssigner({
        leases: new PartitionLeases(redis, id, TTL),
        partitions,
        onGained: (l: Lease) => {
          // Never two consumers of one partition at a time, across all workers.
          for (const w of workers) if (w.held.has(l.partition)) throw new Error(`partition ${l.partition} held twice`);
          held.add(l.partition);
        },
        onLost: async (l: Lease) => void held.delete(l.partition),
        onError: () => {},
      });
      workers.push({ id, assigner, held, redis });
    };
    for (const id of ['w1', 'w2', 'w3']) startWorker(id);
    // Every partition held once, and each worker within its share (the first to start took them
    // all, and hands them back as the others show up).
    const covered = async () => {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const all = workers.flatMap((w) => [...w.held]);
        const fair = workers.every((w) => w.held.size <= Math.ceil(partitions / workers.length));
        if (fair && all.length === partitions && new Set(all).size === partitions) return;
        if (Date.now() > deadline) throw new Error(`not covered: ${JSON.stringify(workers.map((w) => [...w.held]))}`);
        await sleep(50);
      }
    };
    await covered();

    // w1 dies: its connection goes, nothing is released. The others take over after the TTL.
    const dead = workers[0]!;
    const orphaned = [...dead.held];
    expect(orphaned.length).toBeGreaterThan(0);
    dead.redis.client.disconnect();
    const started = Date.now();
    workers.shift();
    await covered();
    expect(Date.now() - started).toBeLessThan(TTL * 4);
    // And w1 noticed on its own that it may no longer hold them.
    await sleep(TTL);
    expect(dead.held.size).toBe(0);
    const holders = await new PartitionLeases(base, 'observer', TTL).holders(partitions);
    expect(holders.every((h) => h === 'w2' || h === 'w3')).toBe(true);

    // A new worker joins: the others hand partitions back so it gets a share.
    startWorker('w4');
    await sleep(TTL);
    await covered();
    expect(workers.find((w) => w.id === 'w4')!.held.size).toBeGreaterThan(0);
    for (const w of workers) await w.assigner.stop();
    await dead.redis.client.connect(); // so the suite can clean up its keys
    await dead.assigner.stop();
    expect(workers.every((w) => w.held.size === 0)).toBe(true);
  });
});
