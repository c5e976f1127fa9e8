/**
 * bench/rss: resident memory of `unmogrowp start` on an empty data directory, from spawn to
 * SECONDS (60) later: every process of the tree (the CLI and any child it starts), sampled
 * every 250 ms from /proc. Prints one JSON line with the peak, the value when /ready first
 * answered, the value at the end, and the timeline (one sample per second).
 *
 *   node --import tsx bench/rss.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';

const SECONDS = Number(process.env.SECONDS ?? 60);
const root = path.resolve(import.meta.dirname, '..');
const cliBin = path.join(root, 'packages/cli/bin/unmogrowp.cjs');
const dataDir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-rss-'));
const env = { ...process.env, DATA_DIR: dataDir, INGEST_PORT: '18081', API_PORT: '18003', LOG_LEVEL: 'warn' };

/** pid → parent pid, for every process we can read. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      out.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  return out;
}

/** Sum of VmRSS over `pid` and all its descendants, in MB. */
function treeRss(pid: number): { rss_mb: number; processes: number } {
  const tree = new Set([pid]);
  const all = parents();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [child, parent] of all) {
      if (tree.has(parent) && !tree.has(child)) {
        tree.add(child);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const p of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {}
  }
  return { rss_mb: Math.round(kb / 1024), processes: tree.size };
}

const started = Date.now();
const child = spawn(process.execPath, [cliBin, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const timeline: { t_s: number; rss_mb: number }[] = [];
let peak = 0;
let readyAt: number | null = null;
let atReady = 0;
let processes = 0;
while (Date.now() - started < SECONDS * 1000 && child.exitCode === null) {
  const sample = treeRss(child.pid!);
  peak = Math.max(peak, sample.rss_mb);
  processes = Math.max(processes, sample.processes);
  const t = (Date.now() - started) / 1000;
  if (timeline.length === 0 || t - (timeline.at(-1)?.t_s ?? 0) >= 1) timeline.push({ t_s: Number(t.toFixed(1)), rss_mb: sample.rss_mb });
  if (readyAt === null) {
    try {
      if ((await fetch('http://127.0.0.1:18081/ready')).ok) {
        readyAt = t;
        atReady = sample.rss_mb;
      }
    } catch {}
  }
  await new Promise((r) => setTimeout(r, 250));
}
const end = treeRss(child.pid!).rss_mb;
const exited = new Promise((r) => child.once('exit', r));
child.kill('SIGTERM');
await exited;
rmSync(dataDir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'rss',
    seconds: SECONDS,
    load_1m: Number(os.loadavg()[0]?.toFixed(2)),
    processes,
    ready_after_s: readyAt,
    rss_at_ready_mb: atReady,
    peak_rss_mb: peak,
    end_rss_mb: end,
    goal_mb: 400,
    timeline,
  }),
);
