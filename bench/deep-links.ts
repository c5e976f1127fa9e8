/**
 * bench/deep-links: how soon an SDK long-polling `GET /v1/attribution/:device_id?wait=10` gets
 * its answer after its install event was accepted (202), on the all-in-one process. Each round:
 * a click with an advertising id, the long-poll opened, then the install posted. Sequential
 * rounds (a latency figure, not a throughput one). Prints one JSON line. Options (env): ROUNDS (50).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLink, openControlStore } from '@unmogrowp/storage';
import { spawnUntilReady, stop } from './lib/process.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 50);
const root = path.resolve(import.meta.dirname, '..');
const cliBin = path.join(root, 'packages/cli/bin/unmogrowp.cjs');
const dataDir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-deeplinks-'));
const env = { DATA_DIR: dataDir, INGEST_PORT: '18181', API_PORT: '18103', LOG_LEVEL: 'warn' };
const app = JSON.parse(
  execFileSync(process.execPath, [cliBin, 'app', 'create', '--name', 'bench', '--json'], { env: { ...process.env, ...env } }).toString(),
);
const db = await openControlStore({ dataDir, databaseUrl: null });
const link = await createLink(db, app.app_id, {
  name: 'bench',
  media_source: 'bench_network',
  campaign: 'deep',
  deep_link: { value: 'bench', path: '/bench' },
});
await db.close();
const server = await spawnUntilReady(process.execPath, [cliBin, 'start'], env, 'http://127.0.0.1:18181/ready');
const base = 'http://127.0.0.1:18181';
const headers = { 'x-api-key': app.sdk_key, 'content-type': 'application/json' };

const latencies: number[] = [];
let wrong = 0;
for (let i = 0; i < ROUNDS; i++) {
  const adid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  await fetch(`${base}/c/${link!.id}?advertising_id=${adid}`, { redirect: 'manual' });
  const answer = fetch(`${base}/v1/attribution/bench-device-${i}?wait=10`, { headers }).then(async (r) => ({
    at: performance.now(),
    status: r.status,
    body: (await r.json()) as { deep_link?: { value?: string } },
  }));
  const install = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      event_id: `bench-install-${i}`,
      type: 'install',
      timestamp: new Date(Date.now() + 60_000).toISOString(),
      device: { id: `bench-device-${i}`, platform: 'android', advertising_id: adid },
    }),
  });
  const acceptedAt = performance.now();
  const got = await answer;
  if (install.status !== 202 || got.status !== 200 || got.body.deep_link?.value !== 'bench') wrong++;
  latencies.push(got.at - acceptedAt);
}
await stop(server);

if (process.env.DEBUG) console.error(latencies.map((l) => Math.round(l)).join(' '));
latencies.sort((a, b) => a - b);
const pct = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1));
console.log(
  JSON.stringify({ bench: 'deep-links', rounds: ROUNDS, wrong_answers: wrong, p50_ms: pct(50), p99_ms: pct(99), max_ms: pct(100) }),
);
