/**
 * bench/ingest-steady: what the real `unmogrowp start` spends to take in and store a steady
 * stream, at fixed rates below its maximum (where the pipeline's pacing, not the load, sets how
 * often it inserts). Per phase: the server's CPU per event, all threads and the main thread
 * alone, from /proc over the load and the drain until the pipeline lag is 0. Prints one JSON
 * line. Options (env): RATES (comma-separated events/s, default 2000,10000), SECONDS (20),
 * BATCH (500 events per request; 1 sends single events), CONNECTIONS (8).
 *
 *   node --import tsx bench/ingest-steady.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { eventTemplate, fill, load } from './lib/load.ts';
import { spawnUntilReady, stop } from './lib/process.ts';

const RATES = (process.env['RATES'] ?? '2000,10000').split(',').map(Number);
const SECONDS = Number(process.env['SECONDS'] ?? 20);
const BATCH = Number(process.env['BATCH'] ?? 500);
const CONNECTIONS = Number(process.env['CONNECTIONS'] ?? 8);
const root = path.resolve(import.meta.dirname, '..');
const cliBin = path.join(root, 'packages/cli/bin/unmogrowp.cjs');
const TICK = 100; // clock ticks per second of /proc/<pid>/stat on Linux

/** utime + stime of a process (all threads) or of one thread, in seconds. */
const cpu = (file: string) => {
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-steady-'));
const env = { DATA_DIR: dataDir, INGEST_PORT: '18081', API_PORT: '18003', LOG_LEVEL: 'warn' };
const app = JSON.parse(
  execFileSync(process.execPath, [cliBin, 'app', 'create', '--name', 'bench', '--json'], { env: { ...process.env, ...env } }).toString(),
);
const server = await spawnUntilReady(process.execPath, [cliBin, 'start'], env, 'http://127.0.0.1:18081/ready');
const pid = server.pid!;
const lagRecords = async () => {
  const text = await (await fetch('http://127.0.0.1:18081/metrics')).text();
  return Number(/^unmogrowp_pipeline_lag_records (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
};

const parts = eventTemplate(BATCH);
const url = `http://127.0.0.1:18081/v1/events${BATCH > 1 ? '/batch' : ''}`;
const phases = [];
try {
  await new Promise((r) => setTimeout(r, 2000));
  for (const [i, rate] of RATES.entries()) {
    const [all0, main0, t0] = [cpu(`/proc/${pid}/stat`), cpu(`/proc/${pid}/task/${pid}/stat`), performance.now()];
    const result = await load(url, {
      body: (n) => fill(parts, `s${i}-${n}`),
      headers: { 'x-api-key': app.sdk_key },
      connections: CONNECTIONS,
      seconds: SECONDS,
      overallRate: Math.max(1, Math.round(rate / BATCH)),
    });
    while ((await lagRecords()) > 0) await new Promise((r) => setTimeout(r, 100));
    const seconds = (performance.now() - t0) / 1000;
    const events = result.ok_requests * BATCH;
    phases.push({
      target_events_per_s: rate,
      events_per_s: Math.round(events / SECONDS),
      p50_ms: result.p50_ms,
      p99_ms: result.p99_ms,
      errors: result.errors + result.non2xx,
      drain_s: Number((seconds - SECONDS).toFixed(1)),
      cpu_us_per_event: Number((((cpu(`/proc/${pid}/stat`) - all0) / events) * 1e6).toFixed(1)),
      main_thread_us_per_event: Number((((cpu(`/proc/${pid}/task/${pid}/stat`) - main0) / events) * 1e6).toFixed(1)),
      cores_busy: Number(((cpu(`/proc/${pid}/stat`) - all0) / seconds).toFixed(2)),
    });
  }
} finally {
  await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(
  JSON.stringify({ bench: 'ingest-steady', batch: BATCH, seconds: SECONDS, load_1m: Number(os.loadavg()[0]?.toFixed(2)), phases }),
);
