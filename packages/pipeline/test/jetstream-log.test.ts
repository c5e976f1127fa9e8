import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { IngestItem, TouchItem } from '@unmogrowp/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { batchIntervalMs, batchPacing } from '../src/log/batch-pacing.ts';
import type { LogRecord } from '../src/log/event-log.ts';
import { type JetStreamLog, openJetStreamLog, partitionOf } from '../src/log/jetstream/jetstream-log.ts';
import { jetStreamSettings } from '../src/log/jetstream/jetstream-options.ts';
import { partitionOfItem } from '../src/log/jetstream/partition.ts';
import { messageId, messagesFor } from '../src/log/jetstream/record-messages.ts';
import { event, waitFor } from './support/event-log-contract.ts';
import { deleteStreams, describeWith, NATS_TEST_URL, probeNats, TEST_MAX_BYTES, uniquePrefix } from './support/nats.ts';

const touch = (clickId: string): TouchItem => ({
  ...(event(clickId) as unknown as TouchItem),
  kind: 'touch',
  touch: 'click',
  click_id: clickId,
});

describe('partitionOf', () => {
  it('is pinned: the same app and key land on the same partition in every release', () => {
    // A changed hash would move running devices to other partitions and break their order.
    expect([partitionOf('app_1', 'device-1', 16), partitionOf('app_1', 'device-2', 16), partitionOf('app_2', 'device-1', 16)]).toEqual([
      2, 9, 15,
    ]);
    expect(partitionOf('a', 'bc', 1024)).not.toBe(partitionOf('ab', 'c', 1024));
  });

  it('spreads keys over every partition', () => {
    const counts = new Array(16).fill(0);
    for (let i = 0; i < 16_000; i++) counts[partitionOf('app_1', `device-${i}`, 16)]++;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });

  it('keys SDK items by device and touches by click id', () => {
    expect(partitionOfItem(event('e1', 'dev-9'), 16)).toBe(partitionOf('app_1', 'dev-9', 16));
    expect(partitionOfItem(touch('clk_42'), 16)).toBe(partitionOf('app_1', 'clk_42', 16));
  });
});

describe('record messages', () => {
  const settings = jetStreamSettings({ servers: 'nats://127.0.0.1:1', prefix: 'p', partitions: 4 });
  const items = Array.from({ length: 40 }, (_, i) => event(`m${i}`, `dev-${i % 10}`));

  it('makes one message per partition, items in append order, subject named by partition', () => {
    const messages = messagesFor(items, settings, 1024 * 1024);
    expect(messages.length).toBeLessThanOrEqual(4);
    const back = messages.flatMap((m) => (JSON.parse(m.payload.toString()) as IngestItem[]).map((i) => ({ i, subject: m.subject })));
    expect(back).toHaveLength(40);
    for (const { i, subject } of back) expect(subject).toBe(`p.events.${partitionOfItem(i, 4)}`);
    for (let d = 0; d < 10; d++) {
      const ids = back.filter(({ i }) => i.kind === 'event' && i.device_id === `dev-${d}`).map(({ i }) => i.event_id);
      expect(ids).toEqual(items.filter((i) => i.device_id === `dev-${d}`).map((i) => i.event_id));
    }
  });

  it('cuts a partition message that would pass the server max payload', () => {
    const messages = messagesFor(items, settings, 2_000);
    expect(messages.every((m) => m.payload.length <= 2_000)).toBe(true);
    expect(messages.flatMap((m) => JSON.parse(m.payload.toString())).length).toBe(40);
  });

  it('derives the message id from the items: same items, same id', () => {
    expect(messageId([event('a'), event('b')])).toBe(messageId([event('a'), event('b')]));
    expect(messageId([event('a'), event('b')])).not.toBe(messageId([event('a'), event('c')]));
    expect(messageId([event('a')])).not.toBe(messageId([{ ...event('a'), app_id: 'app_2' }]));
  });
});

describeWith('JetStream log on the shared NATS server', await probeNats(), () => {
  const prefix = uniquePrefix('log');
  const logs: JetStreamLog[] = [];
  const open = async (extra: Partial<Parameters<typeof openJetStreamLog>[0]> = {}) => {
    const log = await openJetStreamLog({
      servers: NATS_TEST_URL,
      prefix,
      partitions: 4,
      maxBytes: TEST_MAX_BYTES,
      minBatchIntervalMs: 10,
      ...extra,
    });
    logs.push(log);
    return log;
  };
  afterAll(async () => {
    for (const log of logs) await log.close();
    await deleteStreams(NATS_TEST_URL, prefix);
  });

  it('stores a re-published append once (same Nats-Msg-Id inside the duplicate window)', async () => {
    const log = await open();
    const items = Array.from({ length: 12 }, (_, i) => event(`dup${i}`, `dev-${i}`));
    await log.append(items);
    await log.append(items);
    const pending = await log.pendingByPartition();
    const total = [...pending.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(messagesFor(items, jetStreamSettings({ servers: 'x', partitions: 4 }), 1 << 20).length);
    const seen: string[] = [];
    log.consume(async (records) => {
      for (const r of records) for (const i of r.items) seen.push(i.event_id);
    });
    expect(await log.drain(5_000)).toBe(true);
    expect(seen.sort()).toEqual(items.map((i) => i.event_id).sort());
    await log.close();
  });

  it('paces the handler calls of a worker by the batch before: longer after a large one', async () => {
    const log = await open({ minBatchIntervalMs: 50, maxBatchIntervalMs: 700 });
    const pacing = batchPacing({ minBatchIntervalMs: 50, maxBatchIntervalMs: 700 });
    const calls: { at: number; items: number }[] = [];
    const consumer = log.consumePartitions([0, 1, 2, 3], async (records) => {
      calls.push({ at: Date.now(), items: records.reduce((n, r) => n + r.items.length, 0) });
    });
    await log.append(Array.from({ length: 8000 }, (_, i) => event(`pace${i}`, `dev-${i % 97}`)));
    await waitFor(() => calls.reduce((n, c) => n + c.items, 0) === 8000, 10_000, 'the large append');
    await log.append([event('pace-after', 'dev-1')]);
    await waitFor(() => calls.reduce((n, c) => n + c.items, 0) === 8001, 5_000, 'the one after');
    await consumer.stop();
    // Every call waited at least what the batch before it asked for (timer slack aside).
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(batchIntervalMs(calls[i - 1]!.items, pacing) - 5);
    }
    // And at least one batch was large enough to ask for most of the second.
    expect(Math.max(...calls.slice(0, -1).map((c) => c.items))).toBeGreaterThanOrEqual(4000);
  });

  it('hands each worker only the partitions it consumes, and counts pending per partition', async () => {
    const log = await open();
    const items = Array.from({ length: 40 }, (_, i) => event(`w${i}`, `dev-${i}`));
    await log.append(items);
    const pending = await log.pendingByPartition();
    for (const p of [0, 1, 2, 3]) expect(pending.get(p)).toBe(items.some((i) => partitionOfItem(i, 4) === p) ? 1 : 0);

    const got: Record<string, LogRecord[]> = { a: [], b: [] };
    const a = log.consumePartitions([0, 1], async (r) => void got.a!.push(...r));
    const b = log.consumePartitions([2, 3], async (r) => void got.b!.push(...r));
    expect(() => log.consumePartitions([1], async () => {})).toThrow(/consumed here already/);
    expect(() => log.consumePartitions([4], async () => {})).toThrow(/no partition 4/);
    await waitFor(() => got.a!.length + got.b!.length === pending.size - [...pending.values()].filter((n) => n === 0).length, 5_000);
    for (const r of got.a!) for (const i of r.items) expect([0, 1]).toContain(partitionOfItem(i, 4));
    for (const r of got.b!) for (const i of r.items) expect([2, 3]).toContain(partitionOfItem(i, 4));
    await waitFor(async () => (await a.pending()) === 0 && (await b.pending()) === 0, 5_000, 'acks');
    await a.stop();
    await b.stop();
    // Stopped handles free their partitions for another consumer in this process.
    const again = log.consumePartitions([0, 1, 2, 3], async () => {});
    await again.stop();
  });

  it('opens from several processes at once (the stream and consumers are created once)', async () => {
    const racePrefix = uniquePrefix('race');
    try {
      const opened = await Promise.all(
        Array.from({ length: 4 }, () => openJetStreamLog({ servers: NATS_TEST_URL, prefix: racePrefix, maxBytes: TEST_MAX_BYTES })),
      );
      for (const log of opened) await log.close();
    } finally {
      await deleteStreams(NATS_TEST_URL, racePrefix);
    }
  });

  it("a new owner gets a dead owner's unacked records first, replayed, then newer ones, in order", async () => {
    const takeoverPrefix = uniquePrefix('takeover');
    const settings = {
      servers: NATS_TEST_URL,
      prefix: takeoverPrefix,
      maxBytes: TEST_MAX_BYTES,
      partitions: 2,
      ackWaitMs: 2_000,
      minBatchIntervalMs: 10,
    };
    const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `o${from + i}`);
    const nc = await connect({ servers: NATS_TEST_URL });
    const dead = await openJetStreamLog({ ...settings, connection: nc });
    let release: () => void = () => {};
    try {
      let entered = false;
      dead.consumePartitions([0, 1], async () => {
        entered = true;
        await new Promise<void>((r) => (release = r)); // the process dies in here
      });
      for (const id of ids(1, 5)) await dead.append([event(id)]);
      await waitFor(() => entered, 5_000, 'the first owner to receive');
      await nc.close(); // kill -9 of the first owner: nothing acked
      const alive = await open({ ...settings, prefix: takeoverPrefix });
      for (const id of ids(6, 10)) await alive.append([event(id)]);
      const seen: { id: string; replayed: boolean }[] = [];
      const handle = alive.consumePartitions([0, 1], async (records) => {
        for (const r of records) for (const i of r.items) seen.push({ id: i.event_id, replayed: r.replayed });
      });
      await waitFor(() => seen.length >= 10, 10_000, 'ten records');
      await handle.stop();
      expect(seen.map((s) => s.id)).toEqual(ids(1, 10));
      // What the dead owner had received (at least o1) comes marked; what was appended after it died does not.
      const replayed = seen.filter((s) => s.replayed).map((s) => s.id);
      expect(replayed).toEqual(ids(1, replayed.length));
      expect(replayed.length).toBeGreaterThanOrEqual(1);
      expect(seen.slice(5).every((s) => !s.replayed)).toBe(true);
    } finally {
      release();
      await dead.close();
      await deleteStreams(NATS_TEST_URL, takeoverPrefix);
    }
  });

  it('keeps records alive while a handler outlasts ack_wait: no re-delivery', async () => {
    const slowPrefix = uniquePrefix('slow');
    try {
      const log = await open({ prefix: slowPrefix, partitions: 1, ackWaitMs: 1_000 });
      let calls = 0;
      log.consume(async () => {
        calls++;
        await sleep(2_500);
      });
      await log.append([event('slow1')]);
      expect(await log.drain(10_000)).toBe(true);
      const nc = await connect({ servers: NATS_TEST_URL });
      const info = await (await jetstreamManager(nc)).consumers.info(`${slowPrefix}_events`, `${slowPrefix}_p0`);
      await nc.close();
      expect(calls).toBe(1);
      // Every delivery, re-deliveries included, takes a consumer sequence number.
      expect(info.delivered.consumer_seq).toBe(1);
    } finally {
      await deleteStreams(NATS_TEST_URL, slowPrefix);
    }
  });

  it('refuses to open an existing stream with another partition count', async () => {
    await open();
    await expect(open({ partitions: 8 })).rejects.toThrow(/has 4 partitions, configured 8/);
  });
});
