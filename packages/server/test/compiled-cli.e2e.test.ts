import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Child, COMPILED_CLI, cli, startChild } from './support/child-server.ts';

/**
 * `npm start` runs the CLI compiled to JavaScript (packages/cli/scripts/compile.mjs), not the
 * sources through tsx: the same server, started from the compiled output, with the files our
 * sources find beside themselves (migrations, the dashboard build, the PGlite child) found.
 */
const COMPILE = path.resolve(import.meta.dirname, '../../cli/scripts/compile.mjs');
let dir: string;
let server: Child;
let sdkKey: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [COMPILE]);
  dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-compiled-'));
  sdkKey = JSON.parse(await cli(['app', 'create', '--name', 'compiled', '--json'], { DATA_DIR: dir })).sdk_key;
  server = await startChild(dir, {}, COMPILED_CLI);
}, 180_000);

afterAll(async () => {
  if (server) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await rm(dir, { recursive: true, force: true });
});

it('starts from the compiled output, accepts events and serves the dashboard from where the sources find it', async () => {
  const res = await fetch(`${server.ingestUrl}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': sdkKey },
    body: JSON.stringify({
      event_id: 'compiled-1',
      type: 'install',
      timestamp: new Date().toISOString(),
      device: { id: 'd-1', platform: 'android' },
    }),
  });
  expect(res.status).toBe(202);
  expect(await res.json()).toMatchObject({ accepted: 1, duplicates: 0 });
  const page = await fetch(`${server.apiUrl}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<html/i);
});
