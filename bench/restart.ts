/**
 * bench/restart: start-to-first-202 of `unmogrowp start` over a data directory already holding
 * N touches (clicks written straight into the event store, spread over the last 30 days, so all
 * of them are read back into the touchpoint index), with the time until the attribution state
 * and the dedupe index are back. Prints one JSON line per size.
 *   node --import tsx bench/restart.ts            # sizes 0, 1000000, 10000000
 *   SIZES=0,1000000 MAX_SECONDS=900 node --import tsx bench/restart.ts
 * Generating 10M rows takes minutes; MAX_SECONDS bounds each size's wait for the warm-up.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, lockDataDir, migrate, openChdbEventStore, openControlStore, type TouchRow } from '@unmogrowp/storage';
import { freePort } from '../packages/server/test/support/child-server.ts';
import { rss } from './lib/process.ts';

const SIZES = (process.env.SIZES ?? '0,1000000,10000000').split(',').map(Number);
const MAX_SECONDS = Number(process.env.MAX_SECONDS ?? 1200);
const CLI = path.resolve(import.meta.dirname, '../packages/cli/bin/unmogrowp.cjs');
const DAY = 86_400_000;

async function prepare(dir: string, touches: number) {
  const unlock = await lockDataDir(dir);
  const control = await openControlStore({ dataDir: dir, databaseUrl: null });
  await migrate(control);
  const app = await createApp(control, { name: 'restart bench', platforms: ['ios', 'android'] });
  await control.close();
  const events = await openChdbEventStore(path.join(dir, 'events'));
  await events.migrate();
  const started = Date.now();
  const now = Date.now();
  for (let done = 0; done < touches; ) {
    const n = Math.min(200_000, touches - done);
    const rows: TouchRow[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const k = done + i;
      rows[i] = {
        app_id: app.app.id,
        click_id: `clk_${k.toString(36).padStart(10, '0')}`,
        link_id: `lnk_${k % 200}`,
        ts: now - Math.floor((((k * 2654435761) % 1_000_003) / 1_000_003) * 29 * DAY),
        media_source: `net_${k % 7}`,
        campaign: `c${k % 50}`,
        ip: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`,
        advertising_id: k % 5 === 0 ? '' : `00000000-0000-4000-8000-${k.toString(16).padStart(12, '0')}`,
        platform: k % 2 ? 'ios' : 'android',
        os_version: `${14 + (k % 4)}`,
        click_window_ms: 7 * DAY,
        view_window_ms: DAY,
      };
    }
    await events.insertClicks(rows);
    done += n;
  }
  await events.close();
  await unlock();
  return { sdkKey: app.sdk_key, generate_ms: Date.now() - started };
}

async function measure(size: number) {
  const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-restart-bench-'));
  try {
    const { sdkKey, generate_ms } = await prepare(dir, size);
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
    return { bench: 'restart', touches: size, generate_ms, ...marks, ...memory, loadavg_1m: loadavg()[0] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

for (const size of SIZES) process.stdout.write(`${JSON.stringify(await measure(size))}\n`);
