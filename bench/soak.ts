/**
 * bench/soak: a real `unmogrowp start` under a steady native-event load for DURATION seconds
 * (default 1800) at RATE events/s (default: half of the ingest maximum in docs/benchmarks.md,
 * 20000 events/s in batches of 50), sampling every SAMPLE_SECONDS (30) the process's RSS, the
 * pipeline lag (from /metrics) and the p99 latency of the interval. Prints one JSON line per
 * sample, then a summary line with the first and last samples and the RSS slope per hour.
 *   DURATION=1800 RATE=20000 node --import tsx bench/soak.ts
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../packages/server/test/support/child-server.ts';
import { rss } from './lib/process.ts';

const DURATION = Number(process.env.DURATION ?? 1800);
const RATE = Number(process.env.RATE ?? 20_000);
const SAMPLE_SECONDS = Number(process.env.SAMPLE_SECONDS ?? 30);
const BATCH = 50;
const CLI = path.resolve(import.meta.dirname, '../packages/cli/bin/unmogrowp.cjs');

const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-soak-'));
const [ingestPort, apiPort] = [await freePort(), await freePort()];
const child = spawn(process.execPath, [CLI, 'start'], {
  env: { ...process.env, DATA_DIR: dir, INGEST_PORT: String(ingestPort), API_PORT: String(apiPort), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const ingest = `http://127.0.0.1:${ingestPort}`;
const api = `http://127.0.0.1:${apiPort}`;
try {
  while (
    !(await fetch(`${ingest}/ready`)
      .then((r) => r.ok)
      .catch(() => false))
  )
    await new Promise((r) => setTimeout(r, 200));
  const email = `soak-${process.pid}@example.com`;
  const password = 'soak soak soak 42';
  const call = async (p: string, body: unknown, token?: string) =>
    (
      await fetch(`${api}${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      })
    ).json();
  await call('/api/auth/register', { email, password, name: 'Soak' });
  const { access_token } = (await call('/api/auth/login', { email, password })) as { access_token: string };
  const { sdk_key } = (await call('/api/apps', { name: 'Soak', platforms: ['ios'] }, access_token)) as { sdk_key: string };

  let seq = 0;
  let latencies: number[] = [];
  let errors = 0;
  let accepted = 0;
  const stopAt = Date.now() + DURATION * 1000;
  const send = async () => {
    const events = Array.from({ length: BATCH }, () => ({
      event_id: `soak-${seq++}`,
      type: 'event',
      name: 'purchase',
      timestamp: new Date().toISOString(),
      device: { id: `d${seq % 5000}`, platform: 'ios' },
      revenue: 1,
      currency: 'EUR',
    }));
    const t = performance.now();
    try {
      const res = await fetch(`${ingest}/v1/events/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': sdk_key },
        body: JSON.stringify({ events }),
      });
      await res.arrayBuffer();
      if (res.status === 202) accepted += BATCH;
      else errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - t);
  };
  // Open-loop pacing: requests start on schedule whether or not earlier ones finished.
  const perTick = RATE / BATCH / 10;
  let owed = 0;
  const ticker = setInterval(() => {
    owed += perTick;
    while (owed >= 1) {
      owed--;
      void send();
    }
  }, 100);
  const samples: Record<string, number>[] = [];
  const started = Date.now();
  while (Date.now() < stopAt) {
    await new Promise((r) => setTimeout(r, SAMPLE_SECONDS * 1000));
    const metrics = await fetch(`${ingest}/metrics`)
      .then((r) => r.text())
      .catch(() => '');
    const lag = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(metrics)?.[1] ?? Number.NaN);
    const sorted = latencies.sort((a, b) => a - b);
    const sample = {
      t_s: Math.round((Date.now() - started) / 1000),
      ...rss(child.pid!),
      lag_records: lag('unmogrowp_pipeline_lag_records'),
      lag_seconds: lag('unmogrowp_pipeline_lag_seconds'),
      p99_ms: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
      requests: sorted.length,
      accepted_total: accepted,
      errors_total: errors,
      loadavg_1m: loadavg()[0] ?? 0,
    };
    latencies = [];
    samples.push(sample);
    process.stdout.write(`${JSON.stringify(sample)}\n`);
  }
  clearInterval(ticker);
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const hours = (last.t_s! - first.t_s!) / 3600 || 1;
  process.stdout.write(
    `${JSON.stringify({ bench: 'soak', duration_s: DURATION, rate: RATE, first, last, rss_mb_per_hour: (last.rss_mb! - first.rss_mb!) / hours })}\n`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(dir, { recursive: true, force: true });
}
