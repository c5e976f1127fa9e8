import type { IngestItem, TouchItem } from '@unmogrowp/schema';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../src/log/event-log.ts';
import { type JetStreamLog, openJetStreamLog, partitionOf } from '../src/log/jetstream/jetstream-log.ts';
import { jetStreamSettings } from '../src/log/jetstream/jetstream-options.ts';
import { partitionOfItem } from '../src/log/jetstream/partition.ts';
import { messageId, messagesFor } from '../src/log/jetstream/record-messages.ts';
import { event, waitFor } from './support/event-log-contract.ts';
import { deleteStreams, describeWith, NATS_TEST_URL, probeNats, uniquePrefix } from './support/nats.ts';

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
    const log = await openJetStreamLog({ servers: NATS_TEST_URL, prefix, partitions: 4, minBatchIntervalMs: 10, ...extra });
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
      const opened = await Promise.all(Array.from({ length: 4 }, () => openJetStreamLog({ servers: NATS_TEST_URL, prefix: racePrefix })));
      for (const log of opened) await log.close();
    } finally {
      await deleteStreams(NATS_TEST_URL, racePrefix);
    }
  });

  it('refuses to open an existing stream with another partition count', async () => {
    await open();
    await expect(open({ partitions: 8 })).rejects.toThrow(/has 4 partitions, configured 8/);
  });
});
