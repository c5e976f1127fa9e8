/**
 * bench/attribution: memory per touchpoint of the embedded touchpoint index, how fast it takes
 * touches and answers the three lookups an install needs, and how many installs per second the
 * pipeline's attribution step decides with that index behind it. Prints one JSON line.
 *   node --expose-gc --import tsx bench/attribution.ts
 * Options (env): TOUCHES (1000000), LOOKUPS (200000).
 * The mix: 85 % clicks, 15 % impressions (all with an advertising id: without one they are not
 * kept); 60 % of clicks with an advertising id; 70 % IPv4, 30 % IPv6; half the clicks with a
 * 32-character network click id; our click id 'clk_' + 16 base62; 4 apps, 200 links, 30 OS
 * versions, a site_id on 30 %; times spread over 7 days. Memory counts the V8 heap AND array
 * buffers (the index keeps its columns in typed arrays, which heapUsed alone does not show).
 */
import { loadavg } from 'node:os';
import { constants, type PerformanceEntry, PerformanceObserver, performance } from 'node:perf_hooks';
import type { Touchpoint } from '@unmogrowp/attribution';
import { defaultSettings } from '@unmogrowp/attribution';
import { attributeBatch, MemoryDeviceRegistry } from '@unmogrowp/pipeline';
import type { AppEvent } from '@unmogrowp/schema';
import { MemoryClickFloodCounter, MemoryTouchpointIndex } from '@unmogrowp/storage';
import { touchMix } from './lib/touch-mix.ts';

const N = Number(process.env.TOUCHES ?? 1_000_000);
const LOOKUPS = Number(process.env.LOOKUPS ?? 200_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc so memory is measured after a full collection');

const WEEK = 7 * 86_400_000;
const makeTouch = touchMix(N);

/**
 * Garbage-collector pauses (main-thread wall time) from now until `stop`: how much of a phase is
 * collecting its own garbage. Not subtracted from the CPU figure: an install's garbage is its cost.
 */
function gcPauses(): { stop: () => Promise<{ pauses: number; major: number; ms: number }> } {
  const from = performance.now();
  let until = Number.POSITIVE_INFINITY;
  const seen = { pauses: 0, major: 0, ms: 0 };
  const count = (entries: PerformanceEntry[]) => {
    for (const e of entries) {
      if (e.startTime < from || e.startTime > until) continue;
      seen.pauses++;
      seen.ms += e.duration;
      if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) seen.major++;
    }
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop: async () => {
      until = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 50)); // entries arrive on the event loop
      count(observer.takeRecords());
      observer.disconnect();
      return { ...seen, ms: Math.round(seen.ms) };
    },
  };
}

const memory = () => {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
};

const index = new MemoryTouchpointIndex();
const before = memory();
const samples: Touchpoint[] = [];
const sampleEvery = Math.max(1, Math.floor(N / 10_000));
/** CPU time, not wall time: this machine may be busy with other work; the index is single-threaded. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let addMs = 0;
for (let i = 0; i < N; i += 10_000) {
  const batch = Array.from({ length: Math.min(10_000, N - i) }, (_, j) => makeTouch(i + j));
  const started = cpuMs();
  for (const t of batch) index.addNow(t);
  addMs += cpuMs() - started;
  for (let j = 0; j < batch.length; j += sampleEvery) samples.push(batch[j]!);
}
samples.length = Math.min(samples.length, 10_000);
const after = memory();
const heapDelta = after.heap - before.heap;
const bufferDelta = after.buffers - before.buffers;
const stats = index.stats();

// An install's lookups: by click id (half hit), by advertising id, by IP+platform+OS.
const started = cpuMs();
let found = 0;
for (let i = 0; i < LOOKUPS; i++) {
  const t = samples[i % samples.length]!;
  const hit = await index.byClickId(t.app_id, i % 2 ? t.touch_id : `clk_${i}`);
  const byAd = await index.byAdvertisingId(t.app_id, t.advertising_id, t.ts - WEEK);
  const byDevice = await index.byDevice(t.app_id, t.ip, t.platform, t.os_version, t.ts - 86_400_000);
  found += (hit ? 1 : 0) + byAd.length + byDevice.length;
}
const lookupMs = cpuMs() - started;

// Installs through the attribution step (lookups + the rules + the device registry), in batches.
const settings = defaultSettings();
const deps = {
  touchpoints: index,
  devices: new MemoryDeviceRegistry(),
  floods: new MemoryClickFloodCounter(),
  settingsOf: async () => settings,
  globalBlocked: [],
};
const installs: AppEvent[] = Array.from({ length: LOOKUPS }, (_, i) => {
  const t = samples[i % samples.length]!;
  return {
    kind: 'event',
    app_id: t.app_id,
    event_id: `ins_${i}`,
    type: 'install',
    name: 'install',
    timestamp: t.ts + 3_600_000,
    received_at: t.ts + 3_600_000,
    device_id: `dev_${i}`,
    advertising_id: i % 3 ? t.advertising_id : '',
    platform: t.platform,
    os_version: t.os_version,
    model: '',
    app_version: '',
    locale: '',
    user_id: '',
    ip: i % 3 ? '192.0.2.1' : t.ip,
    user_agent: '',
    click_id: i % 5 === 0 ? t.touch_id : '',
    install_referrer: null,
    revenue: 0,
    currency: '',
    properties: {},
    source: 'native',
  };
});
// Each timed phase starts from a collected heap: garbage of the phases before it (the fill's
// touch objects, the lookups' answers, the install list just built) is not collected on its clock.
gc();
const gcDuring = gcPauses();
const attributeStarted = cpuMs();
const decided = { attributed: 0, organic: 0, other: 0 };
for (let i = 0; i < installs.length; i += 1000) {
  const out = await attributeBatch(installs.slice(i, i + 1000), deps);
  for (const d of out.installs)
    decided[d.attribution.status === 'attributed' || d.attribution.status === 'organic' ? d.attribution.status : 'other']++;
}
const attributeMs = cpuMs() - attributeStarted;
const decisionGc = await gcDuring.stop();

console.log(
  JSON.stringify({
    bench: 'attribution',
    touches_offered: N,
    touches_kept: stats.touches,
    segments: stats.segments,
    link_profiles: stats.link_profiles,
    device_profiles: stats.device_profiles,
    heap_bytes_per_touch: +(heapDelta / stats.touches).toFixed(1),
    buffer_bytes_per_touch: +(bufferDelta / stats.touches).toFixed(1),
    bytes_per_touch: +((heapDelta + bufferDelta) / stats.touches).toFixed(1),
    index_reported_bytes_per_touch: +(stats.bytes / stats.touches).toFixed(1),
    mb_per_million: +((((heapDelta + bufferDelta) / stats.touches) * 1e6) / 2 ** 20).toFixed(1),
    adds_per_cpu_s: Math.round(N / (addMs / 1000)),
    installs_looked_up_per_cpu_s: Math.round(LOOKUPS / (lookupMs / 1000)),
    touches_found: found,
    installs_attributed_per_cpu_s: Math.round(installs.length / (attributeMs / 1000)),
    decisions: decided,
    decision_gc: decisionGc,
    load_average: +loadavg()[0]!.toFixed(2),
  }),
);
