/**
 * bench/container: the real `unmogrowp start` (as `npm start` runs it: a fresh DATA_DIR, the
 * embedded profile) inside a cgroup v1 memory group with a limit, as a container would give it.
 * Memory is sampled every 200 ms from the group (usage, anonymous `rss`, page `cache`,
 * `mapped_file`, failcnt, major faults, OOM kills) through four phases: start-up until /ready;
 * the first account and an app made over the API; batch ingest at full speed for LOAD_SECONDS,
 * then until the pipeline has stored it all; a few analytics queries. Then every acknowledged
 * event must be in the overview. One JSON line per limit.
 *
 * The server runs from private copies of node and chDB's library with nothing of them cached
 * (lib/fresh-image.ts), so the group is charged for the code pages it touches, as a container
 * started from a fresh image is; the file pages the kernel drops under pressure and reads back
 * show up as major faults.
 *
 * Options (env): LIMIT_MB (512; a comma list runs each in turn, e.g. 512,400,352), LOAD_SECONDS
 * (20), CONNECTIONS (8), BATCH (500), CGROUP_PARENT (default: this process's own memory group).
 * Linux with the cgroup v1 memory controller, as root.
 *
 *   LIMIT_MB=512,400 node --import tsx bench/container.ts
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureApp, newPassword, signIn } from '../packages/cli/src/demo/api-setup.ts';
import { HttpClient } from '../packages/cli/src/demo/http-client.ts';
import { createMemoryCgroup, type MemoryCgroup, type MemorySample } from './lib/cgroup.ts';
import { type FreshImage, freshImage } from './lib/fresh-image.ts';
import { eventTemplate, fill, load } from './lib/load.ts';

const LIMITS = (process.env.LIMIT_MB ?? '512').split(',').map(Number);
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const BATCH = Number(process.env.BATCH ?? 500);
const READY_TIMEOUT_MS = 300_000;
const DRAIN_TIMEOUT_MS = 180_000;
const root = path.resolve(import.meta.dirname, '..');
const cliBin = path.join(root, 'packages/cli/bin/unmogrowp.cjs');

type Phase = 'start' | 'setup' | 'ingest' | 'drain' | 'queries';
interface PhasePeak {
  seconds: number;
  peak_usage_mb: number;
  peak_rss_mb: number;
  peak_cache_mb: number;
  peak_mapped_file_mb: number;
  failcnt: number;
  major_faults: number;
  /** From the server's own /metrics (prom-client): where the anonymous memory is. */
  peak_v8_heap_mb: number;
  peak_external_mb: number;
  peak_dedupe_index_mb: number;
}

const PROCESS_METRICS = {
  v8_heap: 'nodejs_heap_size_total_bytes',
  external: 'nodejs_external_memory_bytes',
  dedupe_index: 'unmogrowp_dedupe_bytes',
} as const;

/** The server's own view of its memory, in MB; empty when it does not answer within a second. */
async function processMetrics(url: string): Promise<Partial<Record<keyof typeof PROCESS_METRICS, number>>> {
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(1000) })).text();
    const out: Partial<Record<keyof typeof PROCESS_METRICS, number>> = {};
    for (const [key, name] of Object.entries(PROCESS_METRICS)) {
      const value = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1];
      if (value !== undefined) out[key as keyof typeof PROCESS_METRICS] = Math.round(Number(value) / 1048576);
    }
    return out;
  } catch {
    return {};
  }
}

/** Highest values per phase; the kernel's own high-water mark catches what 200 ms samples miss. */
class Recorder {
  readonly phases: Partial<Record<Phase, PhasePeak>> = {};
  last: MemorySample;
  #phase: Phase = 'start';
  #phaseStart = Date.now();
  #base: MemorySample;
  #timer: NodeJS.Timeout;
  #scraping = false;
  #ticks = 0;

  constructor(
    private readonly group: MemoryCgroup,
    private readonly metricsUrl: string,
  ) {
    this.last = this.#base = group.sample();
    this.#timer = setInterval(() => this.tick(), 200);
  }

  get phase(): Phase {
    return this.#phase;
  }

  tick(): void {
    const s = this.group.sample();
    this.last = s;
    const p = this.#current();
    p.seconds = Number(((Date.now() - this.#phaseStart) / 1000).toFixed(1));
    p.peak_usage_mb = Math.max(p.peak_usage_mb, s.max_usage_mb);
    p.peak_rss_mb = Math.max(p.peak_rss_mb, s.rss_mb);
    p.peak_cache_mb = Math.max(p.peak_cache_mb, s.cache_mb);
    p.peak_mapped_file_mb = Math.max(p.peak_mapped_file_mb, s.mapped_file_mb);
    p.failcnt = s.failcnt - this.#base.failcnt;
    p.major_faults = s.pgmajfault - this.#base.pgmajfault;
    if (this.#ticks++ % 5 === 0 && !this.#scraping) void this.#scrape();
  }

  #current(): PhasePeak {
    this.phases[this.#phase] ??= {
      seconds: 0,
      peak_usage_mb: 0,
      peak_rss_mb: 0,
      peak_cache_mb: 0,
      peak_mapped_file_mb: 0,
      failcnt: 0,
      major_faults: 0,
      peak_v8_heap_mb: 0,
      peak_external_mb: 0,
      peak_dedupe_index_mb: 0,
    };
    return this.phases[this.#phase]!;
  }

  /** Once a second: the server's heap, external memory and dedupe index (it may be too busy to answer). */
  async #scrape(): Promise<void> {
    this.#scraping = true;
    const m = await processMetrics(this.metricsUrl);
    this.#scraping = false;
    const p = this.#current();
    p.peak_v8_heap_mb = Math.max(p.peak_v8_heap_mb, m.v8_heap ?? 0);
    p.peak_external_mb = Math.max(p.peak_external_mb, m.external ?? 0);
    p.peak_dedupe_index_mb = Math.max(p.peak_dedupe_index_mb, m.dedupe_index ?? 0);
  }

  enter(phase: Phase): void {
    this.tick();
    this.group.resetPeak();
    this.#phase = phase;
    this.#phaseStart = Date.now();
    this.#base = this.group.sample();
  }

  stop(): void {
    this.tick();
    clearInterval(this.#timer);
  }
}

/** Kernel log lines about OOM kills, to name the process killed and what it held. */
function kernelOomLines(since: number): string[] {
  try {
    return execFileSync('dmesg', { encoding: 'utf8' })
      .split('\n')
      .slice(since)
      .filter((l) => /oom|Killed process|Memory cgroup/i.test(l));
  } catch {
    return [];
  }
}
const dmesgLength = () => {
  try {
    return execFileSync('dmesg', { encoding: 'utf8' }).split('\n').length - 1;
  } catch {
    return 0;
  }
};

async function waitReady(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Until the pipeline has stored everything acknowledged; a scrape that fails (a busy server) is retried. */
async function waitStored(
  ingestUrl: string,
  child: ChildProcess,
): Promise<{ drained: boolean; lag_records: number; failed_scrapes: number }> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let lag = Number.NaN;
  let failed = 0;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      const metrics = await (await fetch(`${ingestUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      lag = Number(/^unmogrowp_pipeline_lag_records (\S+)/m.exec(metrics)?.[1] ?? Number.NaN);
      if (lag === 0) return { drained: true, lag_records: 0, failed_scrapes: failed };
    } catch {
      failed++;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { drained: false, lag_records: lag, failed_scrapes: failed };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function runOnce(limitMb: number, image: FreshImage): Promise<Record<string, unknown>> {
  image.evict();
  const group = createMemoryCgroup(`unmogrowp-bench-${process.pid}-${limitMb}`, limitMb);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-container-'));
  const ingestPort = 20_000 + Math.floor(Math.random() * 20_000);
  const apiPort = ingestPort + 1;
  const ingestUrl = `http://127.0.0.1:${ingestPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    INGEST_PORT: String(ingestPort),
    API_PORT: String(apiPort),
    LOG_LEVEL: 'warn',
    LD_LIBRARY_PATH: image.libDir,
  };
  const kernelLogFrom = dmesgLength();
  const wrapped = group.wrap(image.node, [cliBin, 'start']);
  const started = Date.now();
  const child = spawn(wrapped.cmd, wrapped.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // The server's warnings and errors (LOG_LEVEL=warn), to say why a run failed.
  let outputTail = '';
  const keep = (chunk: Buffer) => {
    outputTail = (outputTail + chunk.toString()).slice(-3000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const recorder = new Recorder(group, `${ingestUrl}/metrics`);
  const out: Record<string, unknown> = { bench: 'container', limit_mb: limitMb, load_1m: Number(os.loadavg()[0]?.toFixed(2)) };
  let diedIn: { phase: Phase; after_s: number; exit: number | string | null } | null = null;
  child.once('exit', (code, signal) => {
    diedIn = { phase: recorder.phase, after_s: Number(((Date.now() - started) / 1000).toFixed(1)), exit: signal ?? code };
  });
  let failedPhase: Phase | null = 'start';
  try {
    if (!(await waitReady(`${ingestUrl}/ready`, child))) throw new Error('not ready');
    out.ready_after_s = Number(((Date.now() - started) / 1000).toFixed(1));
    recorder.tick();
    const r = recorder.last;
    out.at_ready = { usage_mb: r.usage_mb, rss_mb: r.rss_mb, cache_mb: r.cache_mb, mapped_file_mb: r.mapped_file_mb };
    // The copy is what the server mapped (else the library's pages are charged elsewhere).
    out.private_library = readFileSync(`/proc/${child.pid}/maps`, 'utf8').includes(path.join(image.libDir, 'libchdb.so'));

    recorder.enter('setup');
    failedPhase = 'setup';
    const http = new HttpClient(apiUrl, 'API');
    const session = await signIn(http, { email: 'bench@unmogrowp.local', password: newPassword(), generated: true });
    const app = await ensureApp(session, 'bench');

    recorder.enter('ingest');
    failedPhase = 'ingest';
    const parts = eventTemplate(BATCH);
    const loadResult = await load(`${ingestUrl}/v1/events/batch`, {
      body: (n) => fill(parts, `c${n}`),
      headers: { 'x-api-key': app.sdk_key },
      connections: CONNECTIONS,
      seconds: LOAD_SECONDS,
    });
    recorder.enter('drain');
    failedPhase = 'drain';
    const drain = await waitStored(ingestUrl, child);
    if (!drain.drained) throw new Error(`not stored within ${DRAIN_TIMEOUT_MS / 1000} s: ${JSON.stringify(drain)}`);

    recorder.enter('queries');
    failedPhase = 'queries';
    const range = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;
    const auth = { authorization: `Bearer ${app.server_key}` };
    const queries: Record<string, number> = {};
    let storedEvents = 0;
    for (const [name, route] of Object.entries({
      overview: `overview?${range}`,
      timeseries_events_hour: `timeseries?${range}&metric=events&interval=hour`,
      retention: `retention?${range}`,
      attribution: `attribution?${range}&group_by=media_source,campaign`,
      fraud: `fraud?${range}`,
    })) {
      const t = performance.now();
      const answer = await http.request('GET', `/api/analytics/${app.id}/${route}`, { headers: auth });
      if (answer.status !== 200) throw new Error(`${name}: HTTP ${answer.status}`);
      queries[name] = Math.round(performance.now() - t);
      if (name === 'overview') storedEvents = Number(answer.body.total_events);
    }
    http.close();
    failedPhase = null;
    const acked = loadResult.ok_requests * BATCH;
    out.ingest = {
      events_per_s: Math.round(loadResult.requests_per_s * BATCH),
      batch_p99_ms: loadResult.p99_ms,
      non2xx: loadResult.non2xx,
      errors: loadResult.errors,
      failed_scrapes_while_draining: drain.failed_scrapes,
      acknowledged_events: acked,
      stored_events: storedEvents,
      // A request still in flight when the load generator stops may be stored without being counted.
      all_acknowledged_stored: storedEvents >= acked,
    };
    out.query_ms = queries;
  } catch (err) {
    const cause = (err as Error).cause as Error | undefined;
    out.error = `${(err as Error).message}${cause ? ` (${cause.message})` : ''}`;
  } finally {
    recorder.stop();
    const died = diedIn;
    await stopChild(child);
    const final = group.sample();
    out.survived = died === null && final.oom_kills === 0 && failedPhase === null;
    out.failed_phase = failedPhase;
    out.died = died;
    out.oom_kills = final.oom_kills;
    out.peak_usage_mb = Math.max(...Object.values(recorder.phases).map((p) => p.peak_usage_mb));
    out.peak_rss_mb = Math.max(...Object.values(recorder.phases).map((p) => p.peak_rss_mb));
    out.failcnt = final.failcnt;
    out.phases = recorder.phases;
    const oomLines = kernelOomLines(kernelLogFrom);
    if (oomLines.length > 0) out.kernel_oom = oomLines.slice(-12);
    if (!out.survived) out.output_tail = outputTail.split('\n').slice(-8).join('\n');
    await group.remove();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

const image = freshImage();
try {
  for (const limit of LIMITS) console.log(JSON.stringify(await runOnce(limit, image)));
} finally {
  image.remove();
}
