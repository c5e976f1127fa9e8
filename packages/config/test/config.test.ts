import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('config', () => {
  it('has the defaults of API.md §0', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      role: 'all',
      host: '127.0.0.1',
      ingestPort: 8081,
      apiPort: 3003,
      dataDir: path.resolve('data'),
      databaseUrl: null,
    });
  });

  it('reads the environment, and flags win over it', () => {
    const c = loadConfig({ INGEST_PORT: '9000', API_PORT: '9001', TRUST_PROXY: '1' }, { '--api-port': '9100', '--data-dir': '/tmp/x' });
    expect(c.ingestPort).toBe(9000);
    expect(c.apiPort).toBe(9100);
    expect(c.dataDir).toBe('/tmp/x');
    expect(c.trustProxy).toBe(true);
  });

  it.each([
    [{ INGEST_PORT: 'abc' }, /^INGEST_PORT: /],
    [{ API_PORT: '70000' }, /^API_PORT: /],
    [{ ROLE: 'boss' }, /^ROLE: must be one of/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must start with/],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL: is not a valid URL/],
    [{ TRUST_PROXY: 'maybe' }, /^TRUST_PROXY: /],
    [{ DEDUPE_DAYS: '3' }, /^DEDUPE_DAYS: must be an integer 7-90/],
    [{ REGISTRATION: 'invite' }, /^REGISTRATION: /],
  ])('stops on an invalid value with one line naming the variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('rejects an unknown flag', () => {
    expect(() => loadConfig({}, { '--ingest-prot': '1' })).toThrow(/^--ingest-prot: unknown option/);
  });
});
