/**
 * bench/rss: resident memory of `unmogrowp start` on an empty data directory, from spawn to
 * SECONDS (60) later: every process of the tree (the CLI and any child it starts), sampled
 * every 250 ms from /proc. Prints one JSON line with the peak, the value when /ready first
 * answered, the value at the end, and the timeline (one sample per second). RSS is split into
 * anonymous memory (heaps, WebAssembly memory: what a container must hold) and file pages
 * (mapped code such as chDB's library: counted against a container's limit, but clean, so the
 * kernel drops them under pressure instead of killing the process).
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
// Ports of their own (env INGEST_PORT / API_PORT) so another bench's server is never measured.
const INGEST_PORT = process.env.INGEST_PORT ?? '18581';
const env = { ...process.env, DATA_DIR: dataDir, INGEST_PORT, API_PORT: process.env.API_PORT ?? '18503', LOG_LEVEL: 'warn' };

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

/** Sum of VmRSS (and its anonymous and file parts) over `pid` and all its descendants, in MB. */
function treeRss(pid: number): { rss_mb: number; anon_mb: number; file_mb: number; processes: number; threads: number } {
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
  const kb = { rss: 0, anon: 0, file: 0, threads: 0 };
  const field = (status: string, name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  for (const p of tree) {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      kb.rss += field(status, 'VmRSS');
      kb.anon += field(status, 'RssAnon');
      kb.file += field(status, 'RssFile') + field(status, 'RssShmem');
      kb.threads += field(status, 'Threads');
    } catch {}
  }
  const mb = (n: number) => Math.round(n / 1024);
  return { rss_mb: mb(kb.rss), anon_mb: mb(kb.anon), file_mb: mb(kb.file), processes: tree.size, threads: kb.threads };
}

const started = Date.now();
const child = spawn(process.execPath, [cliBin, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const timeline: { t_s: number; rss_mb: number; anon_mb: number }[] = [];
let peak = 0;
let peakAnon = 0;
let readyAt: number | null = null;
let atReady: ReturnType<typeof treeRss> | null = null;
let processes = 0;
while (Date.now() - started < SECONDS * 1000 && child.exitCode === null) {
  const sample = treeRss(child.pid!);
  peak = Math.max(peak, sample.rss_mb);
  peakAnon = Math.max(peakAnon, sample.anon_mb);
  processes = Math.max(processes, sample.processes);
  const t = (Date.now() - started) / 1000;
  if (timeline.length === 0 || t - (timeline.at(-1)?.t_s ?? 0) >= 1) {
    timeline.push({ t_s: Number(t.toFixed(1)), rss_mb: sample.rss_mb, anon_mb: sample.anon_mb });
  }
  if (readyAt === null) {
    try {
      if ((await fetch(`http://127.0.0.1:${INGEST_PORT}/ready`)).ok) {
        readyAt = t;
        atReady = sample;
      }
    } catch {}
  }
  await new Promise((r) => setTimeout(r, 250));
}
const end = treeRss(child.pid!);
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
    rss_at_ready_mb: atReady?.rss_mb ?? null,
    anon_at_ready_mb: atReady?.anon_mb ?? null,
    file_at_ready_mb: atReady?.file_mb ?? null,
    threads_at_ready: atReady?.threads ?? null,
    peak_rss_mb: peak,
    peak_anon_mb: peakAnon,
    end_rss_mb: end.rss_mb,
    end_anon_mb: end.anon_mb,
    end_file_mb: end.file_mb,
    goal_mb: 400,
    timeline,
  }),
);
