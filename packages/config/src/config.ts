import { createPrivateKey, createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { defaultPipelineLagBytes, processMemoryLimit, STREAM_LAG_BYTES } from './memory-budget.ts';
import { assertRoleServices } from './role-services.ts';

/**
 * The one configuration object (docs/architecture.md "One config object"). Read from the
 * environment, with CLI flags (`--ingest-port 9000` ≙ `INGEST_PORT=9000`) taking precedence.
 * Anything invalid stops start-up with one line naming the variable.
 */
export type Role = 'all' | 'ingest' | 'api' | 'worker';
export const ROLES: readonly Role[] = ['all', 'ingest', 'api', 'worker'];

export interface Config {
  role: Role;
  host: string;
  ingestPort: number;
  apiPort: number;
  dataDir: string;
  databaseUrl: string | null;
  clickhouseUrl: string | null;
  redisUrl: string | null;
  natsUrl: string | null;
  /** The worker role's ops listener (/health, /ready, /metrics). */
  workerPort: number;
  /** Stream, subject and consumer names start with it, so two deployments can share one NATS server. */
  natsPrefix: string;
  /** Partitions of the event stream: the unit of work a worker owns (fixed once the stream exists). */
  natsPartitions: number;
  /** Stream replicas (1 on a single server, 3 in a cluster). */
  natsReplicas: number;
  /** The stream refuses new records beyond this size (ingest answers 503) instead of dropping old ones. */
  natsMaxBytes: number;
  /** Records older than this are dropped from the stream even if no worker read them. */
  natsMaxAgeHours: number;
  /** Key prefix in Redis, so two deployments (or test runs) can share one server. */
  redisPrefix: string;
  /** How long a worker's claim on a partition lasts without renewal: a dead worker's partitions move after it. */
  partitionLeaseSeconds: number;
  trustProxy: boolean;
  registration: 'open' | 'closed';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Ingest answers 503 once this many bytes are logged but not yet stored (defaults: memory-budget.ts). */
  maxPipelineLagBytes: number;
  /** How long an event_id is remembered for dedupe. docs/api.md §2 promises at least 7 days. */
  dedupeDays: number;
  /** Per-key ingest requests per second; 0 = off. */
  ingestRateLimit: number;
  /** Browser origins allowed to call the API (`CORS_ORIGINS`, comma-separated); empty = CORS closed. */
  corsOrigins: string[];
  /** Ed25519 private key (PKCS#8 PEM) that signs access tokens; null = generated into DATA_DIR on first start. */
  jwtPrivateKey: string | null;
  /** Failed sign-ins allowed per account and per IP within `loginWindowSeconds`; the next attempt gets 429. */
  loginMaxFailures: number;
  loginWindowSeconds: number;
  /** Registrations allowed per IP (and per email) per hour. */
  registerRateLimit: number;
  /**
   * Where ads reach the ingest listener (`PUBLIC_INGEST_URL`), no trailing slash: tracking links
   * are `<this>/c/<link_id>` and `<this>/i/<link_id>`. Default `http://<HOST>:<INGEST_PORT>`,
   * which only suits a local trial; behind a proxy or a domain, set it.
   */
  publicIngestUrl: string;
  /** Postback targets in these ranges are allowed although private/loopback (`POSTBACK_ALLOWED_CIDRS`). */
  postbackAllowedCidrs: string[];
  /** The operator's IP block list for the `blocked_ip` rule, added to every app's own (`BLOCKED_CIDRS`). */
  blockedCidrs: string[];
  /** A request must arrive whole within this many ms (slow or half-sent bodies are cut off). */
  requestTimeoutMs: number;
  /** TEST ONLY: an extra EC public key (PEM or base64 DER) accepted for Apple postback signatures. */
  skanTestPublicKey: string | null;
  /** Accept AdAttributionKit postbacks signed with Apple's development keys (testing devices). */
  skanAcceptDevelopmentKeys: boolean;
  /** OTLP/HTTP collector base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); null = no tracing, no OpenTelemetry loaded. */
  otelEndpoint: string | null;
  /** `OTEL_SERVICE_NAME`; null = `unmogrowp-<role>`. */
  otelServiceName: string | null;
  /** `EXPORT_DIR`: each app's previous UTC day is written here daily, one file per table; null = no scheduled export. */
  exportDir: string | null;
  /** `EXPORT_FORMAT`: the files' format. */
  exportFormat: ExportFileFormat;
  /**
   * Development and tests: check each JSON answer against its route's declared response schema
   * before sending it; a mismatch is a 500 naming the difference (server http/answer-serializer.ts).
   */
  validateResponses: boolean;
}

/** The raw-data export's formats (the event store's list; config depends on no other package). */
export const EXPORT_FILE_FORMATS = ['parquet', 'csv', 'ndjson'] as const;
export type ExportFileFormat = (typeof EXPORT_FILE_FORMATS)[number];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Source = Record<string, string | undefined>;

interface Field<K extends keyof Config> {
  key: K;
  env: string;
  parse: (raw: string, variable: string) => Config[K];
  fallback: Config[K];
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function port(raw: string, variable: string): number {
  const n = Number(raw);
  // 0 asks the OS for a free port (tests, several instances on one machine); the log names it.
  if (!/^\d+$/.test(raw) || n > 65535) throw new ConfigError(variable, `must be a port number 0-65535, got "${raw}"`);
  return n;
}

function integer(min: number, max: number) {
  return (raw: string, variable: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) throw new ConfigError(variable, `must be an integer ${min}-${max}, got "${raw}"`);
    return n;
  };
}

function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string, variable: string): T => {
    if (!(values as readonly string[]).includes(raw)) throw new ConfigError(variable, `must be one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };
}

function bool(raw: string, variable: string): boolean {
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off', ''].includes(raw.toLowerCase())) return false;
  throw new ConfigError(variable, `must be true or false, got "${raw}"`);
}

/** An elliptic-curve public key as PEM (literal `\\n` allowed) or base64 DER; checked at start-up. */
function ecPublicKey(raw: string, variable: string): string | null {
  if (raw.trim() === '') return null;
  const text = raw.includes('\\n') && !raw.includes('\n') ? raw.replace(/\\n/g, '\n') : raw.trim();
  try {
    const key = text.startsWith('-----BEGIN')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'ec') return text;
  } catch {
    // reported below
  }
  throw new ConfigError(variable, 'must be an elliptic-curve public key (PEM or base64 DER)');
}

function url(protocols: string[]) {
  return (raw: string, variable: string): string | null => {
    if (raw === '') return null;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(variable, `is not a valid URL`);
    }
    if (!protocols.includes(parsed.protocol)) throw new ConfigError(variable, `must start with ${protocols.join(' or ')}`);
    return raw;
  };
}

/**
 * A PEM in one environment variable often arrives with literal `\n` (docker env files, CI
 * secrets): accepted and turned back into line breaks. Checked here, so a wrong key stops
 * start-up naming the variable rather than failing the first sign-in.
 */
function ed25519Pem(raw: string, variable: string): string | null {
  if (raw.trim() === '') return null;
  const pem = raw.includes('\\n') && !raw.includes('\n') ? raw.replace(/\\n/g, '\n') : raw;
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    throw new ConfigError(variable, 'is not a PEM private key (expected "-----BEGIN PRIVATE KEY-----" …)');
  }
  if (type !== 'ed25519')
    throw new ConfigError(variable, `must be an Ed25519 key (openssl genpkey -algorithm ed25519), got ${type ?? 'unknown'}`);
  return pem;
}

/** `https://app.example.com,http://localhost:5173`: exact origins only (scheme, host, port); no wildcard, no path. */
function origins(raw: string, variable: string): string[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    let origin: string | null = null;
    try {
      const parsed = new URL(entry);
      if (parsed.protocol === 'https:' || parsed.protocol === 'http:') origin = parsed.origin;
    } catch {
      origin = null;
    }
    if (origin !== entry.replace(/\/$/, '')) {
      throw new ConfigError(variable, `"${entry}" is not an origin like https://app.example.com (scheme, host and port only; no "*")`);
    }
  }
  return list.map((entry) => entry.replace(/\/$/, ''));
}

/**
 * An http(s) base URL that is put in front of `/c/<id>`: scheme, host, port and an optional path
 * prefix (`https://t.example.com/track`); no credentials, query or fragment, which would break
 * the appended path. Trailing slashes are dropped. Empty: the default.
 */
function publicBaseUrl(raw: string, variable: string): string | null {
  if (raw.trim() === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(variable, `is not a valid URL (expected like https://t.example.com), got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(variable, 'must start with http: or https:');
  if (parsed.username !== '' || parsed.password !== '') throw new ConfigError(variable, 'must not contain user:password@');
  if (parsed.search !== '' || parsed.hash !== '' || raw.includes('?') || raw.includes('#')) {
    throw new ConfigError(variable, 'must not have a query (?…) or fragment (#…): link paths are appended to it');
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** `http://<HOST>:<INGEST_PORT>`, an IPv6 host in brackets. */
export function defaultPublicIngestUrl(host: string, ingestPort: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${h}:${ingestPort}`;
}

/** `10.0.0.0/8, 2001:db8::/32, 203.0.113.7`: addresses or CIDR ranges, comma-separated. */
function cidrs(raw: string, variable: string): string[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
    if (family === 0 || !okBits || extra !== undefined)
      throw new ConfigError(variable, `"${entry}" is not an IPv4/IPv6 address or CIDR range such as 10.0.0.0/8`);
  }
  return list;
}

/** Names that go into NATS subjects and consumer names, and into Redis keys: no dots, spaces or wildcards. */
function prefix(raw: string, variable: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw new ConfigError(variable, `must be 1-64 letters, digits, "_" or "-", got "${raw}"`);
  return raw;
}

function text(raw: string, variable: string): string {
  if (raw.trim() === '') throw new ConfigError(variable, 'must not be empty');
  return raw;
}

const FIELDS: Field<keyof Config>[] = [
  { key: 'role', env: 'ROLE', parse: oneOf(ROLES), fallback: 'all' },
  { key: 'host', env: 'HOST', parse: text, fallback: '127.0.0.1' },
  { key: 'ingestPort', env: 'INGEST_PORT', parse: port, fallback: 8081 },
  { key: 'apiPort', env: 'API_PORT', parse: port, fallback: 3003 },
  { key: 'dataDir', env: 'DATA_DIR', parse: (raw, v) => path.resolve(text(raw, v)), fallback: path.resolve('data') },
  { key: 'databaseUrl', env: 'DATABASE_URL', parse: url(['postgres:', 'postgresql:']), fallback: null },
  { key: 'clickhouseUrl', env: 'CLICKHOUSE_URL', parse: url(['http:', 'https:']), fallback: null },
  { key: 'redisUrl', env: 'REDIS_URL', parse: url(['redis:', 'rediss:']), fallback: null },
  { key: 'natsUrl', env: 'NATS_URL', parse: url(['nats:', 'tls:']), fallback: null },
  { key: 'workerPort', env: 'WORKER_PORT', parse: port, fallback: 8082 },
  { key: 'natsPrefix', env: 'NATS_PREFIX', parse: prefix, fallback: 'unmogrowp' },
  { key: 'natsPartitions', env: 'NATS_PARTITIONS', parse: integer(1, 1024), fallback: 16 },
  { key: 'natsReplicas', env: 'NATS_REPLICAS', parse: integer(1, 5), fallback: 1 },
  { key: 'natsMaxBytes', env: 'NATS_MAX_BYTES', parse: integer(1 << 20, 2 ** 50), fallback: 10 * 2 ** 30 },
  { key: 'natsMaxAgeHours', env: 'NATS_MAX_AGE_HOURS', parse: integer(1, 24 * 365), fallback: 7 * 24 },
  { key: 'redisPrefix', env: 'REDIS_PREFIX', parse: prefix, fallback: 'unmogrowp' },
  { key: 'partitionLeaseSeconds', env: 'PARTITION_LEASE_SECONDS', parse: integer(2, 600), fallback: 15 },
  { key: 'trustProxy', env: 'TRUST_PROXY', parse: bool, fallback: false },
  { key: 'registration', env: 'REGISTRATION', parse: oneOf(['open', 'closed'] as const), fallback: 'open' },
  { key: 'logLevel', env: 'LOG_LEVEL', parse: oneOf(LOG_LEVELS), fallback: 'info' },
  { key: 'maxPipelineLagBytes', env: 'MAX_PIPELINE_LAG_BYTES', parse: integer(1 << 20, 2 ** 40), fallback: null },
  { key: 'dedupeDays', env: 'DEDUPE_DAYS', parse: integer(7, 90), fallback: 7 },
  { key: 'ingestRateLimit', env: 'INGEST_RATE_LIMIT', parse: integer(0, 10_000_000), fallback: 0 },
  {
    key: 'corsOrigins',
    env: 'CORS_ORIGINS',
    parse: origins,
    fallback: [],
  },
  { key: 'jwtPrivateKey', env: 'JWT_PRIVATE_KEY', parse: ed25519Pem, fallback: null },
  { key: 'loginMaxFailures', env: 'LOGIN_MAX_FAILURES', parse: integer(1, 1000), fallback: 10 },
  { key: 'loginWindowSeconds', env: 'LOGIN_WINDOW_SECONDS', parse: integer(1, 86_400), fallback: 15 * 60 },
  { key: 'registerRateLimit', env: 'REGISTER_RATE_LIMIT', parse: integer(1, 1_000_000), fallback: 5 },
  { key: 'postbackAllowedCidrs', env: 'POSTBACK_ALLOWED_CIDRS', parse: cidrs, fallback: [] },
  { key: 'blockedCidrs', env: 'BLOCKED_CIDRS', parse: cidrs, fallback: [] },
  { key: 'requestTimeoutMs', env: 'REQUEST_TIMEOUT_MS', parse: integer(1000, 600_000), fallback: 30_000 },
  // null until the end of loadConfig, where it defaults from HOST and INGEST_PORT.
  { key: 'publicIngestUrl', env: 'PUBLIC_INGEST_URL', parse: publicBaseUrl, fallback: null },
  { key: 'skanTestPublicKey', env: 'SKAN_TEST_PUBLIC_KEY', parse: ecPublicKey, fallback: null },
  { key: 'skanAcceptDevelopmentKeys', env: 'SKAN_ACCEPT_DEVELOPMENT_KEYS', parse: bool, fallback: false },
  { key: 'otelEndpoint', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', parse: url(['http:', 'https:']), fallback: null },
  { key: 'otelServiceName', env: 'OTEL_SERVICE_NAME', parse: (raw) => raw.trim() || null, fallback: null },
  { key: 'exportDir', env: 'EXPORT_DIR', parse: (raw) => (raw.trim() === '' ? null : path.resolve(raw)), fallback: null },
  { key: 'exportFormat', env: 'EXPORT_FORMAT', parse: oneOf(EXPORT_FILE_FORMATS), fallback: 'parquet' },
  { key: 'validateResponses', env: 'VALIDATE_RESPONSES', parse: bool, fallback: false },
] as Field<keyof Config>[];

/** `--ingest-port` → `INGEST_PORT`. */
export function flagToEnv(flag: string): string {
  return flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase();
}

export const CONFIG_VARIABLES: readonly string[] = FIELDS.map((f) => f.env);

/**
 * @param env   usually process.env
 * @param flags CLI flags already split into name → value (`{ '--role': 'api' }`)
 */
export function loadConfig(env: Source = process.env, flags: Record<string, string> = {}): Config {
  const fromFlags: Source = {};
  for (const [flag, value] of Object.entries(flags)) {
    const variable = flagToEnv(flag);
    if (!CONFIG_VARIABLES.includes(variable))
      throw new ConfigError(flag, `unknown option (known: ${FIELDS.map((f) => `--${f.env.toLowerCase().replace(/_/g, '-')}`).join(', ')})`);
    fromFlags[variable] = value;
  }
  const config = {} as Record<string, unknown>;
  for (const field of FIELDS) {
    const raw = fromFlags[field.env] ?? env[field.env];
    config[field.key] = raw === undefined ? field.fallback : field.parse(raw, field.env);
  }
  config.publicIngestUrl ??= defaultPublicIngestUrl(config.host as string, config.ingestPort as number);
  // The embedded log holds its lag in this process's memory; JetStream's is on the NATS server.
  config.maxPipelineLagBytes ??= config.natsUrl ? STREAM_LAG_BYTES : defaultPipelineLagBytes(processMemoryLimit());
  assertRoleServices(config as unknown as Config);
  return config as unknown as Config;
}
