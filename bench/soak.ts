/**
 * bench/soak: a real `unmogrowp start` under a steady native-event load for DURATION seconds
 * (default 1800) at RATE events/s (default: half of the ingest maximum in docs/benchmarks.md,
 * 20000 events/s in batches of 50), sampling every SAMPLE_SECONDS (30) the process's RSS, the
 * pipeline lag (from /metrics) and the p99 latency of the interval. Prints one JSON line per
 * sample, then a summary line with the first and last samples and the slopes per hour (after
 * the first five minutes) of RSS, of RSS without the dedupe index, and of the lag. The embedded
 * dedupe index keeps every id of DEDUPE_DAYS in memory (16–32 bytes each), so it grows with the
 * rate by design; the rest is what must stay flat.
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
    const memory = rss(child.pid!);
    const dedupeMb = Math.round(lag('unmogrowp_dedupe_bytes') / 1_048_576);
    const sample = {
      t_s: Math.round((Date.now() - started) / 1000),
      ...memory,
      dedupe_mb: dedupeMb,
      rss_minus_dedupe_mb: memory.rss_mb - dedupeMb,
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
  // Slopes over the samples after the first five minutes (start-up and the first merges settle there).
  const steady = samples.filter((x) => x.t_s! >= 300);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'soak',
      duration_s: DURATION,
      rate: RATE,
      first: samples[0],
      last: samples.at(-1),
      rss_mb_per_hour: slopePerHour(steady, 'rss_mb'),
      rss_minus_dedupe_mb_per_hour: slopePerHour(steady, 'rss_minus_dedupe_mb'),
      dedupe_mb_per_hour: slopePerHour(steady, 'dedupe_mb'),
      lag_seconds_max: Math.max(...samples.map((x) => x.lag_seconds!)),
      lag_seconds_per_hour: slopePerHour(steady, 'lag_seconds'),
    })}\n`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(dir, { recursive: true, force: true });
}

/** Least-squares slope of `key` against time, per hour. */
function slopePerHour(points: Record<string, number>[], key: string): number {
  const xs = points.map((p) => p.t_s! / 3600);
  const ys = points.map((p) => p[key]!);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? Number.NaN : Math.round((num / den) * 10) / 10;
}
