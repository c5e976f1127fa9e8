import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, '../bin/unmogrowp.cjs');

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [CLI, 'dev-clickhouse', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => stdout.push(l));
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (l) => stderr.push(l));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout, stderr, exit };
}

async function firstLine(r: Run, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (r.stdout.length === 0) {
    if (Date.now() > deadline) throw new Error(`no line from dev-clickhouse; stderr: ${r.stderr.join('\n')}`);
    if (r.child.exitCode !== null) throw new Error(`dev-clickhouse exited ${r.child.exitCode}: ${r.stderr.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return r.stdout[0] as string;
}

describe('npx unmogrowp dev-clickhouse', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-dev-clickhouse-cli-'));
  const started: Run[] = [];
  afterAll(async () => {
    for (const r of started) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one line with its URL when it listens, answers the client, refuses a second process on its data, stops on SIGTERM', async () => {
    const first = run(['--port', '0', '--data', path.join(dir, 'data')]);
    started.push(first);
    const line = await firstLine(first);
    const url = /^dev-clickhouse listening on (http:\/\/127\.0\.0\.1:\d+) \(.*\): .*not for production$/.exec(line)?.[1];
    expect(url, line).toBeDefined();
    expect(await (await fetch(`${url}/ping`)).text()).toBe('Ok.\n');
    const answer = await fetch(`${url}/`, { method: 'POST', body: 'SELECT 1 + 1' });
    expect(await answer.text()).toBe('2\n');

    const second = run(['--port', '0', '--data', path.join(dir, 'data')]);
    started.push(second);
    expect(await second.exit).toBe(1);
    expect(second.stdout).toEqual([]);
    // The engine prints its own lock error first; ours is the last line.
    expect(second.stderr.at(-1)).toMatch(/^unmogrowp: Cannot open chDB at .*only one process may use a data directory/);

    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.stdout).toEqual([line]);
  });
});
