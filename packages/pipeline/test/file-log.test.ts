import { appendFile, mkdtemp, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppEvent } from '@unmogrowp/schema';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../src/log/event-log.ts';
import { openFileLog } from '../src/log/file-log.ts';
import type { LogRecoveryNotice } from '../src/log/log-recovery.ts';
import { FaultyFiles } from './support/faulty-file.ts';

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

  it('paces consumer calls from the last one, longer after a large batch, even when the queue ran dry between them', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir, minBatchIntervalMs: 100, maxBatchIntervalMs: 700 });
    const calls: { at: number; items: number }[] = [];
    let wake: () => void = () => {};
    log.consume(async (records) => {
      calls.push({ at: Date.now(), items: records.reduce((n, r) => n + r.items.length, 0) });
      wake();
    });
    const nthCall = async (n: number) => {
      while (calls.length < n) await new Promise<void>((r) => (wake = r));
    };
    await log.append(Array.from({ length: 8000 }, (_, i) => event(`big-${i}`)));
    await nthCall(1);
    await log.append([event('after-big')]);
    await nthCall(2);
    await log.append([event('after-small')]);
    await nthCall(3);
    expect(calls.map((c) => c.items)).toEqual([8000, 1, 1]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(690);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(95);
    expect(calls[2]!.at - calls[1]!.at).toBeLessThan(600);
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

  it('keeps accepting after a failed write: the partial frame is cut back, the failed append rejects, later ones are replayed', async () => {
    const dir = await tempDir();
    const files = new FaultyFiles();
    const log = await openFileLog({ dir, openForAppend: files.openForAppend });
    await log.append([event('w1')]);
    files.failNextWrites(1, 'ENOSPC');
    await expect(log.append([event('lost')])).rejects.toThrow(/ENOSPC/);
    expect(files.writesFailed).toBe(1);
    expect(log.unavailableReason()).toBeNull();
    await log.append([event('w2')]);
    await log.close();
    const reopened = await openFileLog({ dir, onRecovery: (n) => expect.unreachable(n.message) });
    expect(reopened.unconsumed().flatMap((r) => r.items.map((i) => i.event_id))).toEqual(['w1', 'w2']);
    await reopened.close();
  });

  it('finishes a group commit the disk took in short writes: every frame lands whole and in order', async () => {
    const dir = await tempDir();
    // A real file whose vectored writes take at most 7 bytes a call (the kernel may stop anywhere).
    const openForAppend = async (file: string) => {
      const real = await open(file, 'a');
      return new Proxy(real, {
        get: (target, prop) => {
          if (prop === 'writev') {
            return async (buffers: Buffer[]) => {
              const first = Buffer.concat(buffers).subarray(0, 7);
              return { bytesWritten: (await target.write(first)).bytesWritten, buffers };
            };
          }
          const value = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    };
    const log = await openFileLog({ dir, openForAppend });
    await Promise.all([log.append([event('s1')]), log.append([event('s2'), event('s3')]), log.append([event('s4')])]);
    await log.close();
    const reopened = await openFileLog({ dir, onRecovery: (n) => expect.unreachable(n.message) });
    expect(reopened.unconsumed().flatMap((r) => r.items.map((i) => i.event_id))).toEqual(['s1', 's2', 's3', 's4']);
    expect(reopened.unconsumed().flatMap((r) => r.items)).toEqual([event('s1'), event('s2'), event('s3'), event('s4')]);
    await reopened.close();
  });

  it('reports a torn tail it cut off, keeping the dropped bytes in quarantine', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir });
    await log.append([event('t1')]);
    await log.close();
    const [segment] = (await readdir(dir)).filter((f) => f.endsWith('.seg'));
    await appendFile(path.join(dir, segment!), Buffer.from([50, 0, 0, 0, 9, 9, 9, 9, 1, 2, 3]));
    const notices: LogRecoveryNotice[] = [];
    const reopened = await openFileLog({ dir, onRecovery: (n) => notices.push(n) });
    expect(notices).toMatchObject([{ kind: 'torn_tail', segment, keptFrames: 1, droppedBytes: 11 }]);
    expect(notices[0]!.message).toMatch(/never acknowledged/);
    expect((await readFile(notices[0]!.quarantinedAs)).length).toBe(11);
    expect(reopened.unconsumed().map((r) => r.items[0]!.event_id)).toEqual(['t1']);
    await reopened.close();
  });

  it('quarantines a corrupt older segment, replays its whole records and every later segment, and starts', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir, segmentBytes: 2048 });
    // Enough records for three segments whatever a frame's size (events are logged as row prefixes since frame v2).
    const records = 30;
    for (let i = 0; i < records; i++) await log.append([event(`m${i}`)]);
    await log.close();
    const segments = (await readdir(dir)).filter((f) => f.endsWith('.seg')).sort();
    expect(segments.length).toBeGreaterThanOrEqual(3);
    const first = path.join(dir, segments[0]!);
    const intact = await openFileLog({ dir, segmentBytes: 2048 });
    const inFirst = intact.unconsumed().filter((r) => r.seq < Number(segments[1]!.slice(0, 20))).length;
    await intact.close();
    expect(inFirst).toBeGreaterThan(1);
    // Flip a byte inside the second record of the first segment.
    const buf = await readFile(first);
    const secondFrame = 8 + buf.readUInt32LE(0);
    buf[secondFrame + 20] = buf[secondFrame + 20]! ^ 0xff;
    await writeFile(first, buf);
    const notices: LogRecoveryNotice[] = [];
    const reopened = await openFileLog({ dir, segmentBytes: 2048, onRecovery: (n) => notices.push(n) });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'damaged', segment: segments[0], keptFrames: 1 });
    expect(notices[0]!.message).toMatch(/corrupt at byte \d+.*NOT.*later segments are replayed/);
    expect(await readFile(notices[0]!.quarantinedAs)).toEqual(buf);
    const ids = reopened.unconsumed().flatMap((r) => r.items.map((i) => i.event_id));
    expect(ids).toEqual(['m0', ...Array.from({ length: records - inFirst }, (_, k) => `m${inFirst + k}`)]);
    await reopened.append([event('after')]);
    await reopened.close();
    // The repair is stable: the next start finds nothing to report.
    const third = await openFileLog({ dir, segmentBytes: 2048, onRecovery: (n) => expect.unreachable(n.message) });
    expect(third.unconsumed().at(-1)!.items[0]!.event_id).toBe('after');
    await third.close();
  });

  it('starts on an unreadable checkpoint by replaying what the log holds', async () => {
    const dir = await tempDir();
    const log = await openFileLog({ dir });
    await log.append([event('c1')]);
    await log.close();
    await writeFile(path.join(dir, 'checkpoint'), '{"seq": garbage');
    const notices: LogRecoveryNotice[] = [];
    const reopened = await openFileLog({ dir, onRecovery: (n) => notices.push(n) });
    expect(notices[0]!.message).toMatch(/checkpoint/);
    expect(reopened.unconsumed().map((r) => r.items[0]!.event_id)).toEqual(['c1']);
    await reopened.close();
  });
});
