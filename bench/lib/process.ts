import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident and peak resident memory of a process, from /proc (Linux). */
export function rss(pid: number): { rss_mb: number; peak_rss_mb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss_mb: Math.round(kb('VmRSS') / 1024), peak_rss_mb: Math.round(kb('VmHWM') / 1024) };
}

export async function spawnUntilReady(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
  timeoutMs = 120_000,
): Promise<ChildProcess> {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch {}
    if (Date.now() > deadline) {
      await stop(child); // never leave a server behind
      throw new Error(`${readyUrl} not ready after ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Waits until the server has read its stored state back (`unmogrowp_startup_warm 1` on
 * /metrics): /ready answers within seconds of a restart while that still runs behind the
 * listeners, and queries measured meanwhile would compete with it.
 */
export async function waitForWarmState(metricsUrl: string, timeoutMs = 900_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const text = await fetch(metricsUrl).then(
      (r) => r.text(),
      () => '',
    );
    if (/^unmogrowp_startup_warm 1$/m.test(text)) return (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${metricsUrl}: stored state not read back after ${timeoutMs / 1000} s`);
}
