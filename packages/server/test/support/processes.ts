import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const CLI = path.resolve(import.meta.dirname, '../../../cli/bin/unmogrowp.cjs');

/**
 * `unmogrowp start` as a child process with the given environment, for what only separate
 * processes can show: kill -9, restarts, several processes sharing services. Shared with the
 * reliability (chaos) tests: start, wait ready, kill hard, restart with the same environment.
 */
export interface ServerProcess {
  readonly name: string;
  readonly env: Record<string, string>;
  /** The listener /ready is polled on (ingest, api or worker port). */
  readonly url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or null when killed by a signal). */
  exited: Promise<number | null>;
}

export function spawnServer(name: string, env: Record<string, string>, url: string, args: string[] = ['start']): ServerProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => {
    output += d;
    // Enough to read why a process failed, never unbounded.
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, env, url, child, exited, output: () => output };
}

/** Polls `<url>/ready` until 200; throws with the process output when it exits or times out. */
export async function waitReady(p: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`${p.name} exited during start:\n${p.output()}`);
    try {
      if ((await fetch(`${p.url}/ready`)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${p.name} not ready within ${timeoutMs} ms:\n${p.output()}`);
    await sleep(100);
  }
}

/** Spawns and waits for /ready; a process that does not get ready is killed, never left behind. */
export async function startServer(name: string, env: Record<string, string>, url: string, timeoutMs = 120_000): Promise<ServerProcess> {
  const p = spawnServer(name, env, url);
  try {
    await waitReady(p, timeoutMs);
  } catch (err) {
    await killHard(p);
    throw err;
  }
  return p;
}

/** kill -9: no shutdown code runs, exactly like a crashed machine's process. */
export async function killHard(p: ServerProcess): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
}

/** SIGTERM, and SIGKILL if it has not exited within `graceMs`. */
export async function stopServer(p: ServerProcess, graceMs = 12_000): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  const code = await p.exited;
  clearTimeout(timer);
  return code;
}

/** The same process again (same name, environment and ports), after a kill. */
export function restartServer(p: ServerProcess): Promise<ServerProcess> {
  return startServer(p.name, p.env, p.url);
}
