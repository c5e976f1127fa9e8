/**
 * bench/restart: start-to-first-202 of `unmogrowp start` over a data directory already holding
 * N touches and N/10 installed devices (written straight into the event store, spread over the
 * last 29 days, so all of them are read back into the touchpoint index and the device registry),
 * with the time until the attribution state and the dedupe index are back. Prints one JSON line
 * per size.
 *   node --import tsx bench/restart.ts            # sizes 0, 1000000, 10000000
 *   SIZES=0,1000000 MAX_SECONDS=900 KEEP=/var/tmp/restart node --import tsx bench/restart.ts
 * MAX_SECONDS bounds each size's wait for the warm-up; KEEP reuses generated directories.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, lockDataDir, migrate, openChdbEventStore, openControlStore } from '@unmogrowp/storage';
import { Session } from 'chdb';
import { freePort } from '../packages/server/test/support/child-server.ts';
import { rss } from './lib/process.ts';
import { GENERATE_CLICKS, GENERATE_INSTALLS } from './lib/query-data.ts';

const SIZES = (process.env.SIZES ?? '0,1000000,10000000').split(',').map(Number);
const MAX_SECONDS = Number(process.env.MAX_SECONDS ?? 1200);
const CLI = path.resolve(import.meta.dirname, '../packages/cli/bin/unmogrowp.cjs');
const DAY = 86_400_000;

/**
 * A data directory holding `touches` clicks over the last 29 days and a tenth as many installed
 * devices, generated inside chDB (`INSERT … SELECT … FROM numbers(n)`, as bench/queries does),
 * so 10M rows take a minute instead of the twenty that rows built in JS took.
 */
async function prepare(dir: string, touches: number) {
  const unlock = await lockDataDir(dir);
  const control = await openControlStore({ dataDir: dir, databaseUrl: null });
  await migrate(control);
  const app = await createApp(control, { name: 'restart bench', platforms: ['ios', 'android'] });
  await control.close();
  const eventsDir = path.join(dir, 'events');
  const events = await openChdbEventStore(eventsDir);
  await events.migrate();
  await events.close();
  const started = Date.now();
  if (touches > 0) {
    const gen = new Session(eventsDir);
    try {
      const base = { app: app.app.id, start: Date.now() - 29 * DAY, days: 29, installs: Math.max(1, Math.floor(touches / 10)) };
      await gen.queryBindAsync(GENERATE_INSTALLS, base);
      await gen.queryBindAsync(GENERATE_CLICKS, { ...base, count: touches });
    } finally {
      gen.close();
    }
  }
  await unlock();
  return { sdkKey: app.sdk_key, installs: touches > 0 ? Math.max(1, Math.floor(touches / 10)) : 0, generate_ms: Date.now() - started };
}

/** KEEP=<dir> keeps each size's data directory there and reuses it on the next run. */
async function dataDirFor(size: number) {
  const keep = process.env.KEEP;
  if (!keep) return { dir: await mkdtemp(path.join(tmpdir(), 'unmogrowp-restart-bench-')), prepared: null };
  const dir = path.join(keep, `touches-${size}`);
  const saved = path.join(keep, `touches-${size}.json`);
  if (existsSync(saved)) return { dir, prepared: JSON.parse(readFileSync(saved, 'utf8')) as Awaited<ReturnType<typeof prepare>> };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const prepared = await prepare(dir, size);
  writeFileSync(saved, JSON.stringify(prepared));
  return { dir, prepared };
}

async function measure(size: number) {
  const { dir, prepared } = await dataDirFor(size);
  try {
    const { sdkKey, installs, generate_ms } = prepared ?? (await prepare(dir, size));
    const [ingestPort, apiPort] = [await freePort(), await freePort()];
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI, 'start'], {
      env: { ...process.env, DATA_DIR: dir, INGEST_PORT: String(ingestPort), API_PORT: String(apiPort), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const marks: Record<string, number> = {};
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes('attribution state read back')) marks.attribution_state_ms ??= Date.now() - t0;
        if (line.includes('dedupe index warmed from the event store')) marks.dedupe_warm_ms ??= Date.now() - t0;
      }
    });
    const event = (i: number) =>
      JSON.stringify({ event_id: `restart-${i}`, type: 'open', timestamp: new Date().toISOString(), device: { id: 'd', platform: 'ios' } });
    let i = 0;
    const deadline = t0 + MAX_SECONDS * 1000;
    while (marks.first_202_ms === undefined && Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${ingestPort}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': sdkKey },
          body: event(i++),
        });
        if (res.status === 202) marks.first_202_ms = Date.now() - t0;
      } catch {}
      if (marks.first_202_ms === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    while (marks.dedupe_warm_ms === undefined && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 200));
    const memory = child.pid ? rss(child.pid) : null;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    return { bench: 'restart', touches: size, installs, generate_ms, ...marks, ...memory, loadavg_1m: loadavg()[0] };
  } finally {
    if (!process.env.KEEP) await rm(dir, { recursive: true, force: true });
  }
}

for (const size of SIZES) process.stdout.write(`${JSON.stringify(await measure(size))}\n`);
