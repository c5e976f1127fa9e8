import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, '../../cli/bin/unmogrowp.cjs');

async function run(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('unmogrowp CLI', () => {
  it('stops start-up on an invalid setting with one line naming the variable', async () => {
    const res = await run(['start'], { INGEST_PORT: 'eighty', DATA_DIR: await mkdtemp(path.join(tmpdir(), 'cli-')) });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^unmogrowp: INGEST_PORT: must be a port number/)]);
  });

  it('refuses an unknown flag and bad app input with a sentence, not a stack', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-'));
    const flag = await run(['start', '--ingest-prot', '1'], { DATA_DIR: dir });
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(/^unmogrowp: --ingest-prot: unknown option/);
    const platforms = await run(['app', 'create', '--name', 'X', '--platforms', 'ios,symbian'], { DATA_DIR: dir });
    expect(platforms.code).toBe(1);
    expect(platforms.stderr).toMatch(/--platforms: must be a comma list of ios, android, web/);
    expect(platforms.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('creates apps with distinct keys, as JSON and as text', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-'));
    const a = JSON.parse(
      (await run(['app', 'create', '--name', 'Ünïcode 🚀', '--platforms', 'ios,android,web', '--json'], { DATA_DIR: dir })).stdout,
    );
    const b = await run(['app', 'create', '--name', 'Second'], { DATA_DIR: dir });
    expect(a.sdk_key).toMatch(/^sdk_[A-Za-z0-9]{32}$/);
    expect(a.server_key).toMatch(/^srv_[A-Za-z0-9]{43}$/);
    expect(b.stdout).toMatch(/^app_id\s+app_/m);
    expect(b.stdout).not.toContain(a.sdk_key);
  });
});
