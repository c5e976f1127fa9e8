import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, '../../cli/bin/unmogrowp.cjs');

it('unmogrowp start --role worker without a service it needs stops with one line naming the variable', () => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: 'postgres://u@127.0.0.1:1/x', NATS_URL: 'nats://127.0.0.1:1' };
  delete env.REDIS_URL;
  delete env.CLICKHOUSE_URL;
  delete env.ROLE;
  const run = spawnSync(process.execPath, [CLI, 'start', '--role', 'worker'], { env, encoding: 'utf8', timeout: 60_000 });
  expect(run.status).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^unmogrowp: REDIS_URL: ROLE=worker needs it \(DATABASE_URL, REDIS_URL, NATS_URL, CLICKHOUSE_URL\)/);
}, 60_000);
