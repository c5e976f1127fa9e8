/**
 * bench/clicks: the click redirect (`GET /c/:link_id`, recorded durably, then 302) against a
 * bare Fastify 302 endpoint, same load generator, same run; then our p99 at half the maximum
 * rate. Prints one JSON line. Options (env): SECONDS (10), CONNECTIONS (16), LOG_LEVEL (warn: no
 * line per click; `info`, the server's default, measures what that line costs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLink, openControlStore } from '@unmogrowp/storage';
import { load } from './lib/load.ts';
import { rss, spawnUntilReady, stop } from './lib/process.ts';

const SECONDS = Number(process.env.SECONDS ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const root = path.resolve(import.meta.dirname, '..');
const cliBin = path.join(root, 'packages/cli/bin/unmogrowp.cjs');
const UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const run = (url: string, overallRate?: number) =>
  load(url, { method: 'GET', headers: { 'user-agent': UA }, connections: CONNECTIONS, seconds: SECONDS, overallRate });

const bare = await spawnUntilReady(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'bench/bare-server.ts')],
  { PORT: '18090' },
  'http://127.0.0.1:18090/ready',
);
const baseline = await run('http://127.0.0.1:18090/c/lnk_x?click_id=abc&site_id=s1');
await stop(bare);

const dataDir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-clicks-'));
const env = { DATA_DIR: dataDir, INGEST_PORT: '18081', API_PORT: '18003', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
const app = JSON.parse(
  execFileSync(process.execPath, [cliBin, 'app', 'create', '--name', 'bench', '--json'], { env: { ...process.env, ...env } }).toString(),
);
const db = await openControlStore({ dataDir, databaseUrl: null });
const link = await createLink(db, app.app_id, {
  name: 'bench',
  media_source: 'bench_network',
  campaign: 'load',
  destinations: { android: 'https://play.google.com/store/apps/details?id=com.example' },
});
await db.close();
const server = await spawnUntilReady(process.execPath, [cliBin, 'start'], env, 'http://127.0.0.1:18081/ready');
const url = `http://127.0.0.1:18081/c/${link!.id}?click_id=abc&site_id=s1&sub1=x`;
const max = await run(url);
const half = await run(url, Math.round(max.requests_per_s / 2));
const peak = rss(server.pid!);
await stop(server);

console.log(
  JSON.stringify({
    bench: 'clicks',
    seconds: SECONDS,
    connections: CONNECTIONS,
    log_level: env.LOG_LEVEL,
    baseline_req_per_s: Math.round(baseline.requests_per_s),
    baseline_p99_ms: baseline.p99_ms,
    clicks_per_s: Math.round(max.requests_per_s),
    ratio: Number((max.requests_per_s / baseline.requests_per_s).toFixed(3)),
    p50_ms: max.p50_ms,
    p99_ms: max.p99_ms,
    half_rate_req_per_s: Math.round(half.requests_per_s),
    half_rate_p50_ms: half.p50_ms,
    half_rate_p99_ms: half.p99_ms,
    errors: max.errors + half.errors,
    peak_rss_mb: peak.peak_rss_mb,
  }),
);
