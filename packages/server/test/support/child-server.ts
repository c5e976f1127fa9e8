import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const CLI = path.resolve(import.meta.dirname, '../../../cli/bin/unmogrowp.cjs');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function cli(args: string[], env: Record<string, string>) {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  return stdout;
}

/** The real `unmogrowp start` as a child process, for what only a process can show: kill -9, SIGTERM. */
export async function startChild(dataDir: string, extraEnv: Record<string, string> = {}) {
  const [ingestPort, apiPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    INGEST_PORT: String(ingestPort),
    API_PORT: String(apiPort),
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const child: ChildProcess = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ingestUrl = `http://127.0.0.1:${ingestPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited during start: ${output}`);
    try {
      if ((await fetch(`${ingestUrl}/ready`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server not ready in 60 s: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, ingestUrl, apiUrl: `http://127.0.0.1:${apiPort}`, exited, output: () => output };
}

export type Child = Awaited<ReturnType<typeof startChild>>;

/** kill -9 and wait until the process is gone (reaped), so its data directory is free. */
export async function kill9(child: Child): Promise<void> {
  if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
  await child.exited;
}
