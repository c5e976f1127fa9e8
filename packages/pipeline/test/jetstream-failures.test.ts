import { setTimeout as sleep } from 'node:timers/promises';
import type { IngestItem } from '@unmogrowp/schema';
import { afterEach, expect, it } from 'vitest';
import type { LogRecord } from '../src/log/event-log.ts';
import { type JetStreamLog, openJetStreamLog } from '../src/log/jetstream/jetstream-log.ts';
import { event, waitFor } from './support/event-log-contract.ts';
import {
  describeWith,
  freePort,
  type OwnNatsServer,
  probeNatsServerBinary,
  startNatsServer,
  TEST_MAX_BYTES,
  uniquePrefix,
} from './support/nats.ts';

/** Each test runs its own nats-server (free port, temporary store) so it can kill it. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f().catch(() => {});
});

async function ownServer(): Promise<OwnNatsServer> {
  const server = await startNatsServer();
  cleanups.push(() => server.dispose());
  return server;
}

async function open(options: Parameters<typeof openJetStreamLog>[0]): Promise<JetStreamLog> {
  const log = await openJetStreamLog({ maxBytes: TEST_MAX_BYTES, retryDelayMs: () => 5, minBatchIntervalMs: 10, ...options });
  cleanups.push(() => log.close());
  return log;
}

async function consumeAll(log: JetStreamLog): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  log.consume(async (batch) => {
    records.push(...batch);
  });
  await waitFor(async () => (await log.refreshPending()).records === 0 && (await log.drain(50)), 20_000, 'the stream to drain');
  return records;
}

describeWith('JetStream log when NATS fails', probeNatsServerBinary(), () => {
  it('refuses to open, naming the server, when nothing listens there', async () => {
    const port = await freePort();
    const began = Date.now();
    await expect(openJetStreamLog({ servers: `nats://127.0.0.1:${port}`, connectTimeoutMs: 1_000 })).rejects.toThrow(
      `cannot connect to NATS at nats://127.0.0.1:${port}`,
    );
    expect(Date.now() - began).toBeLessThan(3_000);
  });

  it('refuses appends with a reason while the server is down, and accepts them again after it is back', async () => {
    const server = await ownServer();
    const log = await open({ servers: server.url, prefix: uniquePrefix('down'), appendTimeoutMs: 1_000 });
    await log.append([event('before')]);
    await server.kill();
    const began = Date.now();
    await expect(log.append([event('during')])).rejects.toThrow(/NATS/);
    expect(Date.now() - began).toBeLessThan(2_000);
    await waitFor(() => log.unavailableReason() !== null, 2_000, 'unavailableReason');
    expect(log.unavailableReason()).toMatch(/NATS/);

    await server.restart();
    await waitFor(() => log.unavailableReason() === null, 10_000, 'the reconnect');
    await log.append([event('after')]);
    const ids = (await consumeAll(log)).flatMap((r) => r.items.map((i) => i.event_id));
    expect(ids).toContain('before');
    expect(ids).toContain('after');
  });

  it('keeps consuming across a server restart, without handing a record twice', async () => {
    const server = await ownServer();
    const log = await open({ servers: server.url, prefix: uniquePrefix('consume'), partitions: 2 });
    const seen = new Map<string, number>();
    log.consume(async (records) => {
      for (const r of records) for (const i of r.items) seen.set(i.event_id, (seen.get(i.event_id) ?? 0) + 1);
    });
    await log.append([event('a1'), event('a2', 'd2')]);
    await waitFor(() => seen.size === 2, 5_000, 'the first records');
    await server.kill();
    await sleep(500);
    await server.restart();
    await waitFor(() => log.unavailableReason() === null, 10_000, 'the reconnect');
    await log.append([event('b1'), event('b2', 'd2')]);
    await waitFor(() => seen.size === 4, 10_000, 'the records appended after the restart');
    expect([...seen.values()]).toEqual([1, 1, 1, 1]);
  });

  it('refuses appends while the stream is full, and accepts them once workers caught up', async () => {
    const server = await ownServer();
    const log = await open({ servers: server.url, prefix: uniquePrefix('full'), partitions: 1, maxBytes: 8 * 1024 });
    let stored = 0;
    let refusal: Error | null = null;
    for (let i = 0; i < 100 && !refusal; i++) {
      try {
        await log.append([event(`f${i}`)]);
        stored++;
      } catch (err) {
        refusal = err as Error;
      }
    }
    expect(stored).toBeGreaterThan(0);
    expect(refusal?.message).toMatch(/full/);
    expect(log.unavailableReason()).toMatch(/full/);
    const records = await consumeAll(log);
    expect(records.flatMap((r) => r.items)).toHaveLength(stored);
    await waitFor(() => log.unavailableReason() === null, 3_000, 'the refusal to expire');
    await log.append([event('room again')]);
  });

  it('keeps every acknowledged record, once, across kill -9 of the server mid-stream', async () => {
    const server = await ownServer();
    const log = await open({ servers: server.url, prefix: uniquePrefix('kill'), appendTimeoutMs: 1_500 });
    const acked = new Set<string>();
    let rejected = 0;
    let stop = false;
    // 8 clients sending batches of 20 items over 50 devices; a refused batch is retried as is,
    // the way a client retries a 503 (same event ids, so the same message ids).
    const client = async (c: number) => {
      for (let b = 0; !stop; b++) {
        const items: IngestItem[] = Array.from({ length: 20 }, (_, i) => event(`c${c}-b${b}-i${i}`, `dev${(b * 20 + i) % 50}`));
        for (;;) {
          try {
            await log.append(items);
            for (const it of items) acked.add(it.event_id);
            break;
          } catch {
            rejected++;
            await sleep(100);
          }
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await waitFor(() => acked.size >= 2_000, 10_000, '2000 acknowledged items');
    await server.kill();
    // Down longer than the append timeout: appends in flight at the kill are refused, not only resent.
    await sleep(2_000);
    await server.restart();
    await waitFor(() => log.unavailableReason() === null, 10_000, 'the reconnect');
    const ackedAtRestart = acked.size;
    await waitFor(() => acked.size >= ackedAtRestart + 2_000, 10_000, '2000 more acknowledged items');
    stop = true;
    await Promise.all(clients);

    const seen = new Map<string, number>();
    for (const r of await consumeAll(log)) for (const it of r.items) seen.set(it.event_id, (seen.get(it.event_id) ?? 0) + 1);
    const lost = [...acked].filter((id) => !seen.has(id));
    const twice = [...seen].filter(([, n]) => n > 1);
    expect(rejected).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(twice).toEqual([]);
    expect(seen.size).toBe(acked.size);
  });
});
