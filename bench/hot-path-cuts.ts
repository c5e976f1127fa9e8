/**
 * bench/hot-path-cuts: CPU time of the ingest hot path's pieces changed on 2026-12-07, the
 * previous implementation (inlined here; the log's frame encoding both ways, as file-log.ts
 * wrote it before and writes it now) against the current one, alternating in one process
 * (process.cpuUsage, so a loaded machine slows both sides alike). Prints one JSON line with the
 * medians of ROUNDS (5): the log's frame encoding + group-commit write per event (4 frames of
 * 500 events per commit), the dedupe claim + commit per event, and the per-request logger at
 * LOG_LEVEL warn and info. docs/benchmarks.md, "What changed, and what each cut measured".
 *
 *   node --import tsx bench/hot-path-cuts.ts
 */
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FingerprintSet, fingerprint } from '../packages/pipeline/src/dedupe/fingerprint-set.ts';
import { MemoryDedupeIndex } from '../packages/pipeline/src/dedupe/memory-dedupe.ts';
import { crc32 } from '../packages/pipeline/src/log/crc32.ts';
import { lazyRequestLogger } from '../packages/server/src/http/lazy-request-logger.ts';
import { createLogger } from '../packages/server/src/ops/logger.ts';
import { eventTemplate, fill } from './lib/load.ts';
import { median } from './lib/median.ts';

const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
async function measure(n: number, fn: (i: number) => unknown | Promise<unknown>) {
  const t0 = cpu();
  for (let i = 0; i < n; i++) await fn(i);
  return (cpu() - t0) / n;
}
const items = (JSON.parse(fill(eventTemplate(500), 'x')) as { events: unknown[] }).events;
const oldFrame = (seq: number) => {
  const payload = Buffer.from(JSON.stringify({ s: seq, i: items }));
  const frame = Buffer.allocUnsafe(8 + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, 8);
  return frame;
};
const newFrame = (seq: number) => {
  const json = JSON.stringify({ s: seq, i: items });
  const length = Buffer.byteLength(json);
  const frame = Buffer.allocUnsafe(8 + length);
  frame.write(json, 8);
  frame.writeUInt32LE(length, 0);
  frame.writeUInt32LE(crc32(frame.subarray(8)), 4);
  return frame;
};
const segmentFile = path.join(tmpdir(), `hot-path-cuts-${process.pid}.seg`);
const fh = await open(segmentFile, 'w');
const rounds = Number(process.env.ROUNDS ?? 5);
const res: Record<string, number[]> = {};
const add = (k: string, v: number) => {
  res[k] ??= [];
  res[k].push(Number(v.toFixed(2)));
};
const nullOut = { write: () => true };
for (let r = 0; r < rounds; r++) {
  // group of 4 batch frames: encode + write
  add(
    'log old µs/event',
    (await measure(50, async (i) => {
      const g = [oldFrame(i), oldFrame(i), oldFrame(i), oldFrame(i)];
      await fh.write(Buffer.concat(g));
    })) / 2000,
  );
  add(
    'log new µs/event',
    (await measure(50, async (i) => {
      const g = [newFrame(i), newFrame(i), newFrame(i), newFrame(i)];
      await fh.writev(g);
    })) / 2000,
  );
  await fh.truncate(0);
  for (const level of ['warn', 'info']) {
    const parent = createLogger(level, nullOut as never).child({ listener: 'ingest' });
    add(
      `logger ${level} old µs/request`,
      await measure(20000, (i) =>
        parent.child({ request_id: `r${i}` }).info({ method: 'GET', path: '/c/x', status: 302, ms: 1.2, ip: '127.0.0.0/24' }, 'request'),
      ),
    );
    add(
      `logger ${level} new µs/request`,
      await measure(20000, (i) =>
        lazyRequestLogger(parent as never, { request_id: `r${i}` }, {}).info(
          { method: 'GET', path: '/c/x', status: 302, ms: 1.2, ip: '127.0.0.0/24' },
          'request',
        ),
      ),
    );
  }
  // dedupe: claim + commit of 500 fresh ids per request
  const keys = (i: number) => Array.from({ length: 500 }, (_, k) => `app_V1pddRDPfnItjVH3\u0000b${r}-${i}-${k}`);
  const idx = new MemoryDedupeIndex(30);
  add(
    'dedupe new µs/event',
    (await measure(200, async (i) => {
      const k = keys(i);
      await idx.claim(k, Date.now());
      await idx.commit(k, Date.now());
    })) / 500,
  );
  // old: pending Set + fingerprint twice
  const pending = new Set<string>();
  const set = new FingerprintSet();
  add(
    'dedupe old µs/event',
    (await measure(200, async (i) => {
      const k = keys(i + 1e6);
      k.map((key) => {
        if (pending.has(key)) return 'p';
        const [hi, lo] = fingerprint(key);
        if (set.has(hi, lo)) return 'd';
        pending.add(key);
        return 'c';
      });
      for (const key of k) {
        pending.delete(key);
        const [hi, lo] = fingerprint(key);
        set.add(hi, lo);
      }
    })) / 500,
  );
}
await fh.close();
await unlink(segmentFile);
console.log(JSON.stringify(Object.fromEntries(Object.entries(res).map(([k, v]) => [k, { median: median(v), runs: v }]))));
