import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_VARIABLES } from '@unmogrowp/config';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, runCli } from '../src/cli.ts';
import { envToFlag } from '../src/command.ts';
import { demoDefaults } from '../src/commands/demo.ts';
import { browsable, runningLine } from '../src/commands/start.ts';

/** The CLI in-process (spawning it costs seconds each on a busy machine): what a person would read, and the exit code. */
async function cli(...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await runCli(argv, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) });
  return { code, ...out };
}

const SOURCES = path.resolve(import.meta.dirname, '../src/commands');

describe('unmogrowp --help', () => {
  it('lists every command on stdout and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const name of COMMAND_NAMES()) expect(r.stdout).toContain(`  ${name} `);
    expect((await cli('help', 'demo')).stdout).toContain('--scale');
  });

  it.each(COMMAND_NAMES())('%s --help is on stdout and names every option its file reads', async (name) => {
    const r = await cli(name, '--help');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`^usage: unmogrowp ${name}`));
    // Every '--option' literal in the command's source is an option it takes: each must be in its help.
    const source = await readFile(path.join(SOURCES, `${name}.ts`), 'utf8');
    const options = new Set([...source.matchAll(/'(--[a-z][a-z-]*)'/g)].map((m) => m[1]!));
    for (const option of options) expect(r.stdout, `${name} --help names ${option}`).toContain(option);
  });

  it('start --help lists every configuration variable as a flag', async () => {
    const { stdout } = await cli('start', '--help');
    for (const variable of CONFIG_VARIABLES) expect(stdout).toContain(`${envToFlag(variable)} `);
  });

  it('names an unknown command as such on stderr and exits 2', async () => {
    const r = await cli('frobnicate', '--fast');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('unmogrowp: unknown command "frobnicate"');
    expect((await cli()).code).toBe(2);
  });
});

describe('demo and start addresses', () => {
  it('demo defaults to the ports start listens on (API_PORT, INGEST_PORT)', () => {
    expect(demoDefaults({})).toEqual({ apiUrl: 'http://127.0.0.1:3003', ingestUrl: 'http://127.0.0.1:8081' });
    expect(demoDefaults({ API_PORT: '4000', INGEST_PORT: '9000' })).toEqual({
      apiUrl: 'http://127.0.0.1:4000',
      ingestUrl: 'http://127.0.0.1:9000',
    });
    expect(() => demoDefaults({ API_PORT: 'eighty' })).toThrow(/API_PORT/);
  });

  it("start's dashboard line shows an address a browser can open", () => {
    expect(browsable('http://0.0.0.0:3003')).toBe('http://127.0.0.1:3003');
    expect(browsable('http://[::]:3003')).toBe('http://127.0.0.1:3003');
    expect(browsable('http://127.0.0.1:3003')).toBe('http://127.0.0.1:3003');
    expect(runningLine({ roles: ['ingest', 'worker', 'api'], apiUrl: 'http://0.0.0.0:3003', ingestUrl: 'http://0.0.0.0:8081' })).toBe(
      'UnMoGrowP is running (ingest, worker, api). Dashboard: http://127.0.0.1:3003/  ingest: http://127.0.0.1:8081',
    );
    expect(runningLine({ roles: ['worker'], workerUrl: 'http://127.0.0.1:8082' })).not.toContain('Dashboard');
  });
});
