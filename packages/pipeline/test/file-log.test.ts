import { appendFile, mkdtemp, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppEvent } from '@unmogrowp/schema';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../src/log/event-log.ts';
import { openFileLog } from '../src/log/file-log.ts';

const tempDir = () => mkdtemp(path.join(tmpdir(), 'unmogrowp-log-'));

function event(id: string): AppEvent {
  return {
    kind: 'event',
    app_id: 'app_1',
    event_id: id,
    type: 'event',
    name: 'purchase ✓',
    timestamp: 1_700_000_000_000,
    received_at: 1_700_000_000_000,
    device_id: 'd1',
    advertising_id: '',
    platform: 'ios',
    os_version: '17.1',
    model: '',
    app_version: '',
    locale: '',
    user_id: '',
    ip: '127.0.0.1',
    user_agent: '',
    click_id: '',
    install_referrer: null,
    revenue: 1.5,
    currency: 'EUR',
    properties: { emoji: '🎉' },
    source: 'native',
  };
}

function collector() {
  const seen: LogRecord[] = [];
  let wake: () => void = () => {};
  const handler = async (records: LogRecord[]) => {
    seen.push(...records.map((r) => ({ ...r })));
    wake();
  };
  const until = async (n: number) => {
    while (seen.flatMap((r) => r.items).length < n) await new Promise<void>((r) => (wake = r));
  };
  return { seen, handler, until };
}

describe('file event log', () => {
  it('group-commits concurrent appends and hands them to the consumer in order', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir });
    const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => log.append([event(`e${i}`)])));
    expect(new Set(seqs).size).toBe(50);
    const c = collector();
    log.consume(c.handler);
    await c.until(50);
    expect(c.seen.map((r) => r.items[0]!.event_id)).toEqual(Array.from({ length: 50 }, (_, i) => `e${i}`));
    expect(c.seen.every((r) => !r.replayed)).toBe(true);
    await log.close();
  });

  it('replays only unconsumed records after a restart, marked as replayed', async () => {
    const dir = await tempDir();
    const first = await openFileLog({ dir });
    const c1 = collector();
    first.consume(c1.handler);
    await first.append([event('a'), event('b')]);
    await c1.until(2);
    await first.drain(2000);
    await first.close();
    // A second process life: appends that nobody consumed before the "crash".
    const second = await openFileLog({ dir });
    await second.append([event('c')]);
    await second.close();
    const third = await openFileLog({ dir });
    expect(third.pending().records).toBe(1);
    const c3 = collector();
    third.consume(c3.handler);
    await c3.until(1);
    expect(c3.seen.map((r) => [r.items[0]!.event_id, r.replayed])).toEqual([['c', true]]);
    expect((c3.seen[0]!.items[0] as AppEvent).properties).toEqual({ emoji: '🎉' });
    await third.close();
  });

  it('cuts a torn tail and keeps every complete record before it', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir });
    await log.append([event('x1')]);
    await log.append([event('x2')]);
    await log.close();
    const [segment] = (await readdir(dir)).filter((f) => f.endsWith('.seg'));
    const file = path.join(dir, segment!);
    await appendFile(file, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 123])); // a frame that never finished
    const reopened = await openFileLog({ dir });
    expect(reopened.unconsumed().map((r) => r.items[0]!.event_id)).toEqual(['x1', 'x2']);
    await reopened.append([event('x3')]);
    await reopened.close();
    const again = await openFileLog({ dir });
    expect(again.unconsumed().map((r) => r.items[0]!.event_id)).toEqual(['x1', 'x2', 'x3']);
    await again.close();
  });

  it('stops at a corrupted frame (CRC mismatch) instead of replaying garbage', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir });
    await log.append([event('ok')]);
    await log.append([event('bad')]);
    await log.close();
    const [segment] = (await readdir(dir)).filter((f) => f.endsWith('.seg'));
    const file = path.join(dir, segment!);
    const buf = await readFile(file);
    buf[buf.length - 3] = buf[buf.length - 3]! ^ 0xff;
    await writeFile(file, buf);
    const reopened = await openFileLog({ dir });
    expect(reopened.unconsumed().map((r) => r.items[0]!.event_id)).toEqual(['ok']);
    await reopened.close();
  });

  it('re-delivers a batch whose handler failed, marked replayed, then checkpoints', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir, retryDelayMs: () => 5 });
    let calls = 0;
    const seen: LogRecord[][] = [];
    log.consume(async (records) => {
      calls++;
      seen.push(records.map((r) => ({ ...r })));
      if (calls === 1) throw new Error('store down');
    });
    await log.append([event('r1')]);
    expect(await log.drain(2000)).toBe(true);
    expect(calls).toBe(2);
    expect(seen[0]![0]!.replayed).toBe(false);
    expect(seen[1]![0]!.replayed).toBe(true);
    await log.close();
    const reopened = await openFileLog({ dir });
    expect(reopened.pending().records).toBe(0);
    await reopened.close();
  });

  it('rotates segments and deletes the ones fully consumed', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir, segmentBytes: 4096 });
    const c = collector();
    log.consume(c.handler);
    for (let i = 0; i < 40; i++) await log.append([event(`s${i}`)]);
    await c.until(40);
    await log.drain(2000);
    const segments = (await readdir(dir)).filter((f) => f.endsWith('.seg'));
    expect(segments.length).toBeLessThanOrEqual(2);
    await log.close();
    const reopened = await openFileLog({ dir, segmentBytes: 4096 });
    expect(reopened.pending().records).toBe(0);
    await reopened.append([event('after')]);
    expect(reopened.pending().records).toBe(1);
    await reopened.close();
  });

  it('rejects appends after close and reports the pipeline lag while unconsumed', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir });
    await log.append([event('p1'), event('p2')]);
    const lag = log.pending();
    expect(lag.records).toBe(1);
    expect(lag.bytes).toBeGreaterThan(100);
    expect(lag.oldestAppendedAt).not.toBeNull();
    await log.close();
    await expect(log.append([event('late')])).rejects.toThrow(/closing/);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });

  it('keeps accepting after a failed write once the file is cut back', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir });
    await log.append([event('w1')]);
    const [segment] = (await readdir(dir)).filter((f) => f.endsWith('.seg'));
    // Shrinking the file under the log simulates a partial frame that was cut off.
    await truncate(path.join(dir, segment!), 0);
    await log.append([event('w2')]);
    await log.close();
    const reopened = await openFileLog({ dir });
    expect(reopened.unavailableReason()).toBeNull();
    await reopened.close();
  });
});
