/**
 * bench/profile: where the server's CPU goes per event, under load. Runs the real
 * `unmogrowp start` under `node --cpu-prof`, drives one path (MODE=batch | single | clicks) for
 * SECONDS (10) with CONNECTIONS (16), waits until the pipeline has stored what was acknowledged,
 * and prints one JSON line: events answered, the server's CPU time per event (all threads, and
 * the main thread alone, from /proc — this does not grow with the machine's load the way
 * wall-clock rates do), and the main thread's self time by part of the path and by frame, over
 * the load + drain window only. Options (env): MODE, SECONDS, CONNECTIONS, BATCH (500),
 * NODE_ARGS (extra node flags for the server), TOP (30), KEEP_PROFILE (a path to copy it to).
 *
 *   MODE=batch node --import tsx bench/profile.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { createLink, openControlStore } from '@unmogrowp/storage';
import { summarizeProfile } from './lib/cpu-profile.ts';
import { eventTemplate, fill, load } from './lib/load.ts';
import { spawnUntilReady, stop } from './lib/process.ts';

const MODE = (process.env.MODE ?? 'batch') as 'batch' | 'single' | 'clicks';
const SECONDS = Number(process.env.SECONDS ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const BATCH = MODE === 'batch' ? Number(process.env.BATCH ?? 500) : 1;
const root = path.resolve(import.meta.dirname, '..');
const cliBin = path.join(root, 'packages/cli/bin/unmogrowp.cjs');
const UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

/** utime + stime in ms: of the whole process (every thread), or of one thread. */
function cpuMs(pid: number, tid?: number): number {
  const stat = readFileSync(tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ = 100 on Linux
}
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const dataDir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-profile-'));
const profileDir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-cpuprofile-'));
// Ports of their own (env INGEST_PORT / API_PORT): other benches on a shared machine use 18081.
const INGEST_PORT = process.env.INGEST_PORT ?? '18581';
const env = { DATA_DIR: dataDir, INGEST_PORT, API_PORT: process.env.API_PORT ?? '18503', LOG_LEVEL: 'warn' };
const ingestUrl = `http://127.0.0.1:${INGEST_PORT}`;
const app = JSON.parse(
  execFileSync(process.execPath, [cliBin, 'app', 'create', '--name', 'bench', '--json'], { env: { ...process.env, ...env } }).toString(),
);
let url = `${ingestUrl}/v1/events/batch`;
if (MODE === 'single') url = `${ingestUrl}/v1/events`;
if (MODE === 'clicks') {
  const db = await openControlStore({ dataDir, databaseUrl: null });
  const link = await createLink(db, app.app_id, {
    name: 'bench',
    media_source: 'bench_network',
    campaign: 'load',
    destinations: { android: 'https://play.google.com/store/apps/details?id=com.example' },
  });
  await db.close();
  url = `${ingestUrl}/c/${link!.id}?click_id=abc&site_id=s1&sub1=x`;
}
const nodeArgs = (process.env.NODE_ARGS ?? '').split(' ').filter(Boolean);
const server = await spawnUntilReady(
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...nodeArgs, cliBin, 'start'],
  env,
  `${ingestUrl}/ready`,
);
await new Promise((r) => setTimeout(r, 2000));
const pid = server.pid!;
const load1 = os.loadavg()[0]!;
const cpu0 = { all: cpuMs(pid), main: cpuMs(pid, pid) };
const from = monotonicUs();
const parts = MODE === 'clicks' ? [] : eventTemplate(BATCH);
const result = await load(url, {
  method: MODE === 'clicks' ? 'GET' : 'POST',
  ...(MODE === 'clicks' ? {} : { body: (n: number) => fill(parts, `p${n}`) }),
  headers: MODE === 'clicks' ? { 'user-agent': UA } : { 'x-api-key': app.sdk_key },
  connections: CONNECTIONS,
  seconds: SECONDS,
});
const loadEnd = monotonicUs();
// Until the pipeline has stored what was acknowledged: that work belongs to these events too.
for (;;) {
  const metrics = await (await fetch(`${ingestUrl}/metrics`)).text();
  if (Number(/^unmogrowp_pipeline_lag_records (\S+)/m.exec(metrics)?.[1] ?? 0) === 0) break;
  await new Promise((r) => setTimeout(r, 100));
}
const to = monotonicUs();
const cpu1 = { all: cpuMs(pid), main: cpuMs(pid, pid) };
await stop(server);
const profileFile = path.join(profileDir, readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'))!);
if (process.env.KEEP_PROFILE) copyFileSync(profileFile, process.env.KEEP_PROFILE);
const summary = summarizeProfile(profileFile, { fromUs: from, toUs: to }, Number(process.env.TOP ?? 30));
rmSync(profileDir, { recursive: true, force: true });
rmSync(dataDir, { recursive: true, force: true });

const events = result.answered_requests * BATCH;
console.log(
  JSON.stringify({
    bench: 'profile',
    mode: MODE,
    seconds: SECONDS,
    connections: CONNECTIONS,
    batch: BATCH,
    load_1m: Number(load1.toFixed(2)),
    requests_per_s: Math.round(result.requests_per_s),
    events_per_s: Math.round(result.requests_per_s * BATCH),
    p50_ms: result.p50_ms,
    p99_ms: result.p99_ms,
    errors: result.errors,
    non2xx: MODE === 'clicks' ? result.non2xx - result.answered_requests + result.ok_requests : result.non2xx,
    events,
    load_s: Number(((loadEnd - from) / 1e6).toFixed(1)),
    drain_s: Number(((to - loadEnd) / 1e6).toFixed(1)),
    cpu_us_per_event_all_threads: Number((((cpu1.all - cpu0.all) * 1000) / events).toFixed(2)),
    cpu_us_per_event_main_thread: Number((((cpu1.main - cpu0.main) * 1000) / events).toFixed(2)),
    profile: summary,
  }),
);
