import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('config', () => {
  it('has the defaults of docs/api.md §0', () => {
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
    [{ JWT_PRIVATE_KEY: 'not a pem' }, /^JWT_PRIVATE_KEY: is not a PEM private key/],
    [{ LOGIN_MAX_FAILURES: '0' }, /^LOGIN_MAX_FAILURES: must be an integer 1-1000/],
    [{ LOGIN_WINDOW_SECONDS: '-5' }, /^LOGIN_WINDOW_SECONDS: /],
    [{ REGISTER_RATE_LIMIT: 'lots' }, /^REGISTER_RATE_LIMIT: /],
    [{ INGEST_RATE_LIMIT: '1.5' }, /^INGEST_RATE_LIMIT: /],
    [{ CORS_ORIGINS: '*' }, /^CORS_ORIGINS: "\*" is not an origin/],
    [{ CORS_ORIGINS: 'https://ok.example.com,https://x.example.com/path' }, /^CORS_ORIGINS: "https:\/\/x.example.com\/path"/],
    [{ CORS_ORIGINS: 'ftp://files.example.com' }, /^CORS_ORIGINS: /],
  ])('stops on an invalid value with one line naming the variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('turns traces on only with a valid OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(loadConfig({})).toMatchObject({ otelEndpoint: null, otelServiceName: null });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'mmp' })).toMatchObject({
      otelEndpoint: 'http://collector:4318',
      otelServiceName: 'mmp',
    });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(
      /^OTEL_EXPORTER_OTLP_ENDPOINT: must start with http: or https:/,
    );
  });

  it('has secure defaults for the security settings', () => {
    expect(loadConfig({})).toMatchObject({
      registration: 'open',
      corsOrigins: [],
      jwtPrivateKey: null,
      loginMaxFailures: 10,
      loginWindowSeconds: 900,
      registerRateLimit: 5,
      ingestRateLimit: 0,
    });
  });

  it('reads the rate limits and exact CORS origins', () => {
    const c = loadConfig({
      LOGIN_MAX_FAILURES: '5',
      LOGIN_WINDOW_SECONDS: '60',
      REGISTER_RATE_LIMIT: '3',
      INGEST_RATE_LIMIT: '200',
      CORS_ORIGINS: 'https://dash.example.com, http://localhost:5173/',
    });
    expect(c).toMatchObject({ loginMaxFailures: 5, loginWindowSeconds: 60, registerRateLimit: 3, ingestRateLimit: 200 });
    expect(c.corsOrigins).toEqual(['https://dash.example.com', 'http://localhost:5173']);
  });

  it('takes an Ed25519 PEM for JWT_PRIVATE_KEY, also with escaped line breaks, and refuses other key types', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(loadConfig({ JWT_PRIVATE_KEY: pem }).jwtPrivateKey).toBe(pem);
    expect(loadConfig({ JWT_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }).jwtPrivateKey).toBe(pem);
    expect(loadConfig({ JWT_PRIVATE_KEY: '' }).jwtPrivateKey).toBeNull();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadConfig({ JWT_PRIVATE_KEY: rsa })).toThrow(/^JWT_PRIVATE_KEY: must be an Ed25519 key.*got rsa/);
  });

  it('builds the public ingest URL from HOST and INGEST_PORT unless PUBLIC_INGEST_URL says otherwise', () => {
    expect(loadConfig({}).publicIngestUrl).toBe('http://127.0.0.1:8081');
    expect(loadConfig({ HOST: 'ingest.local', INGEST_PORT: '9000' }).publicIngestUrl).toBe('http://ingest.local:9000');
    expect(loadConfig({ HOST: '::1' }).publicIngestUrl).toBe('http://[::1]:8081');
    expect(loadConfig({ PUBLIC_INGEST_URL: '' }).publicIngestUrl).toBe('http://127.0.0.1:8081');
    expect(loadConfig({ PUBLIC_INGEST_URL: 'https://t.example.com' }).publicIngestUrl).toBe('https://t.example.com');
    // Trailing slashes would double in `<url>/c/<id>`; a path prefix behind a proxy is kept.
    expect(loadConfig({ PUBLIC_INGEST_URL: 'https://T.Example.com:8443/track//' }).publicIngestUrl).toBe(
      'https://t.example.com:8443/track',
    );
    expect(loadConfig({}, { '--public-ingest-url': 'http://10.0.0.5:8081/' }).publicIngestUrl).toBe('http://10.0.0.5:8081');
  });

  it.each([
    ['t.example.com', /^PUBLIC_INGEST_URL: is not a valid URL/],
    ['ftp://t.example.com', /^PUBLIC_INGEST_URL: must start with http: or https:/],
    ['https://user:secret@t.example.com', /^PUBLIC_INGEST_URL: must not contain user:password@/],
    ['https://t.example.com/?src=ads', /^PUBLIC_INGEST_URL: must not have a query/],
    ['https://t.example.com/#top', /^PUBLIC_INGEST_URL: must not have a query/],
  ])('refuses PUBLIC_INGEST_URL=%s naming the variable', (value, message) => {
    expect(() => loadConfig({ PUBLIC_INGEST_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_INGEST_URL: value })).toThrow(message);
  });

  it('turns the daily export on with EXPORT_DIR (an absolute path) in EXPORT_FORMAT, parquet by default', () => {
    expect(loadConfig({})).toMatchObject({ exportDir: null, exportFormat: 'parquet' });
    expect(loadConfig({ EXPORT_DIR: 'exports' })).toMatchObject({ exportDir: path.resolve('exports'), exportFormat: 'parquet' });
    expect(loadConfig({ EXPORT_DIR: '/srv/x', EXPORT_FORMAT: 'ndjson' }, { '--export-format': 'csv' }).exportFormat).toBe('csv');
    expect(loadConfig({ EXPORT_DIR: ' ' }).exportDir).toBeNull();
    expect(() => loadConfig({ EXPORT_FORMAT: 'xlsx' })).toThrow(/^EXPORT_FORMAT: must be one of parquet, csv, ndjson, got "xlsx"/);
  });

  it('rejects an unknown flag', () => {
    expect(() => loadConfig({}, { '--ingest-prot': '1' })).toThrow(/^--ingest-prot: unknown option/);
  });
});
