/**
 * bench/ingest-cpu-cuts: CPU time of the pieces of the ingest and click paths changed in the
 * second ingest-CPU round (docs/benchmarks.md, "2026-12-07, third round"), the previous code
 * (inlined here as it was) against the current one, alternating in one process
 * (process.cpuUsage, so a loaded machine slows both sides alike). Prints one JSON line with the
 * medians of ROUNDS (5):
 *  - the log's CRC-32 of a 500-event frame, per event: the hand-written slicing-by-8 against
 *    Node's `zlib.crc32`;
 *  - accepting a 500-event request, per event, around a dedupe index that claims everything and
 *    a log that is durable at once (the per-request maps and sets, the counting);
 *  - the network click id's sha-256, per click: `createHash` against the one-shot `hash`;
 *  - an event encoded for the log and for the store, per event: the frame's `JSON.stringify`
 *    of the items plus the insert's whole rows, against the frame written as row prefixes that
 *    the insert completes (frame-payload.ts, event-row-prefix.ts).
 *
 *   node --import tsx bench/ingest-cpu-cuts.ts
 */
import { createHash, hash } from 'node:crypto';
import type { ClaimState, DedupeIndex, EventLog } from '@unmogrowp/pipeline';
import type { IngestItem } from '@unmogrowp/schema';
import { normalizeNativeBatch } from '@unmogrowp/schema';
import { eventRowEncoder, idKey, type StoredEvent } from '@unmogrowp/storage';
import { crc32 } from '../packages/pipeline/src/log/crc32.ts';
import { encodeFramePayload } from '../packages/pipeline/src/log/frame-payload.ts';
import { type AcceptDeps, acceptItems } from '../packages/server/src/ingest/accept-items.ts';
import { eventValues, toNdjson } from '../packages/storage/src/events/event-rows.ts';
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

// The CRC-32 as crc32.ts computed it before (slicing-by-8).
const TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++)
    for (let s = 1; s < 8; s++) t[s * 256 + n] = (t[(s - 1) * 256 + n]! >>> 8) ^ t[t[(s - 1) * 256 + n]! & 0xff]!;
  return t;
})();
function oldCrc32(buf: Uint8Array): number {
  const t = TABLES;
  let c = 0xffffffff;
  let i = 0;
  const end8 = buf.length - (buf.length % 8);
  for (; i < end8; i += 8) {
    const lo = (c ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24))) >>> 0;
    c =
      t[7 * 256 + (lo & 0xff)]! ^
      t[6 * 256 + ((lo >>> 8) & 0xff)]! ^
      t[5 * 256 + ((lo >>> 16) & 0xff)]! ^
      t[4 * 256 + (lo >>> 24)]! ^
      t[3 * 256 + buf[i + 4]!]! ^
      t[2 * 256 + buf[i + 5]!]! ^
      t[256 + buf[i + 6]!]! ^
      t[buf[i + 7]!]!;
  }
  for (; i < buf.length; i++) c = t[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// acceptItems' glue as it was before (the same dedupe and log calls around it).
async function oldAccept(deps: AcceptDeps, items: readonly { index: number; item: IngestItem }[], now: number) {
  const firstOf = new Map<string, number>();
  const keys = items.map(({ item }, i) => {
    const key = idKey(item.app_id, item.event_id);
    if (!firstOf.has(key)) firstOf.set(key, i);
    return key;
  });
  const unique = [...firstOf.keys()];
  const states = await deps.dedupe.claim(unique, now);
  const claimed = unique.filter((_, i) => states[i] === 'claimed');
  const claimedSet = new Set(claimed);
  const toWrite: IngestItem[] = [];
  const acceptedIndexes = new Set<number>();
  const allIndexes = new Set<number>();
  for (let i = 0; i < items.length; i++) {
    allIndexes.add(items[i]!.index);
    if (firstOf.get(keys[i]!) !== i || !claimedSet.has(keys[i]!)) continue;
    toWrite.push(items[i]!.item);
    acceptedIndexes.add(items[i]!.index);
  }
  await deps.log.append(toWrite);
  await deps.dedupe.commit(claimed, now);
  return { accepted: acceptedIndexes.size, duplicates: allIndexes.size - acceptedIndexes.size, rejected: [] };
}

const body = fill(eventTemplate(500), 'x');
const ctx = { app_id: 'app_V1pddRDPfnItjVH3', received_at: Date.now(), ip: '10.1.2.3', user_agent: 'ua', trusted: false };
const { items } = normalizeNativeBatch(JSON.parse(body), ctx);
const frame = Buffer.from(JSON.stringify({ s: 1, i: items.map((i) => i.item) }));
const claimAll: DedupeIndex = {
  claim: async (keys) => keys.map((): ClaimState => 'claimed'),
  commit: async () => {},
  release: async () => {},
  remember: async () => {},
  size: async () => 0,
};
const durableAtOnce = { append: async () => 1, unavailableReason: () => null, pending: () => ({ bytes: 0 }) } as unknown as EventLog;
const deps: AcceptDeps = { log: durableAtOnce, dedupe: claimAll, maxLagBytes: 1e12 };
const clickInput = 'lnk_4cTqJ0bY2x\u0000click\u0000abc-network-click-id-123\u0000public';

const events = items.map((i) => i.item) as StoredEvent[];
const oldEncode = () => {
  Buffer.from(JSON.stringify({ s: 1, i: events }));
  return toNdjson(events, eventValues);
};
const newEncode = () => {
  const { text, rows } = encodeFramePayload(1, events);
  Buffer.from(text);
  const prefixes = new Map<object, string>();
  for (let k = 0; k < events.length; k++) prefixes.set(events[k]!, rows[k]!);
  return toNdjson(
    events,
    eventRowEncoder((e) => prefixes.get(e)),
  );
};
if (!oldEncode().equals(newEncode())) throw new Error('the two encodings insert different bytes');

const rounds = Number(process.env.ROUNDS ?? 5);
const res: Record<string, number[]> = {};
const add = (k: string, v: number) => {
  res[k] ??= [];
  res[k].push(Number(v.toFixed(3)));
};
for (let r = 0; r < rounds; r++) {
  add('crc32 old µs/event', (await measure(400, () => oldCrc32(frame))) / 500);
  add('crc32 new µs/event', (await measure(400, () => crc32(frame))) / 500);
  add('accept old µs/event', (await measure(400, () => oldAccept(deps, items, Date.now()))) / 500);
  add('accept new µs/event', (await measure(400, () => acceptItems(deps, items, [], Date.now()))) / 500);
  add('log + row encoding old µs/event', (await measure(200, oldEncode)) / 500);
  add('log + row encoding new µs/event', (await measure(200, newEncode)) / 500);
  add('click id old µs/click', await measure(50_000, () => createHash('sha256').update(clickInput).digest('base64url')));
  add('click id new µs/click', await measure(50_000, () => hash('sha256', clickInput, 'base64url')));
}
console.log(
  JSON.stringify({
    frame_bytes_v1: frame.length,
    frame_bytes_v2: Buffer.byteLength(encodeFramePayload(1, events).text),
    ...Object.fromEntries(Object.entries(res).map(([k, v]) => [k, { median: median(v), runs: v }])),
  }),
);
