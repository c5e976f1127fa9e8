import { takeFlags } from '../args.ts';
import type { CommandHelp } from '../command.ts';
import type { DemoResult } from '../demo/run-demo.ts';

const FLAGS = ['--api-url', '--ingest-url', '--email', '--password', '--days', '--scale', '--seed', '--json'] as const;
export const DEMO_USAGE =
  'usage: unmogrowp demo [--api-url URL] [--ingest-url URL] [--email E --password P] [--days 30] [--scale 300] [--seed 42] [--json]';

export const demoHelp: CommandHelp = {
  summary: 'fill a running server with a realistic month of data (a new app, links, installs, events, costs)',
  help: `${DEMO_USAGE}

Creates an app on a running server through its public routes and fills it with realistic
traffic. Progress goes to stderr, the summary (or --json) to stdout.

  --api-url URL          the API (default http://127.0.0.1:$API_PORT, API_PORT default 3003)
  --ingest-url URL       the ingest listener (default http://127.0.0.1:$INGEST_PORT, INGEST_PORT default 8081)
  --email E --password P sign in as this account (default: register demo@unmogrowp.local)
  --days N               days of history, 1-30 (default 30)
  --scale N              installs per day, 1-5000 (default 300)
  --seed S               random seed: the same seed gives the same data (default 42)
  --json                 print the result as one JSON line`,
};

/** The same ports `start` listens on: API_PORT and INGEST_PORT from the environment, checked as start checks them. */
export function demoDefaults(env: Record<string, string | undefined>): { apiUrl: string; ingestUrl: string } {
  const port = (variable: 'API_PORT' | 'INGEST_PORT', fallback: number) => {
    const raw = env[variable];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535)
      throw new Error(`${variable}: must be a port number 1-65535, got "${raw}"`);
    return Number(raw);
  };
  return { apiUrl: `http://127.0.0.1:${port('API_PORT', 3003)}`, ingestUrl: `http://127.0.0.1:${port('INGEST_PORT', 8081)}` };
}

/**
 * `unmogrowp demo`: a realistic month of data in a new app of a running server, through its
 * public routes (see src/demo/README.md). Progress goes to stderr, the result to stdout.
 */
export async function demoCommand(_positional: string[], flags: Record<string, string>) {
  const own = takeFlags(flags, FLAGS);
  const unknown = Object.keys(flags);
  if (unknown.length > 0) throw new Error(`${unknown[0]}: unknown option of demo; ${DEMO_USAGE}`);
  const email = text(own['--email'], '--email');
  const password = text(own['--password'], '--password');
  if ((email === undefined) !== (password === undefined))
    throw new Error('--email and --password go together (without both, the demo registers demo@unmogrowp.local)');
  const json = own['--json'] !== undefined;
  const defaults = demoDefaults(process.env);
  const options = {
    apiUrl: url(own['--api-url'] ?? defaults.apiUrl, '--api-url'),
    ingestUrl: url(own['--ingest-url'] ?? defaults.ingestUrl, '--ingest-url'),
    ...(email && password ? { email, password } : {}),
    days: integer(own['--days'] ?? '30', '--days', 1, 30, 'S2S clicks may be at most 30 days old'),
    scale: integer(own['--scale'] ?? '300', '--scale', 1, 5000, 'installs per day'),
    seed: text(own['--seed'], '--seed') ?? '42',
    log: (line: string) => process.stderr.write(`demo: ${line}\n`),
  };
  // The demo's modules are loaded when it runs, not by every command (`start` included).
  const { runDemo } = await import('../demo/run-demo.ts');
  const result = await runDemo(options);
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : summary(result, options.apiUrl));
  return 0;
}

function summary(r: DemoResult, apiUrl: string): string {
  const o = r.overview;
  const money = (n: number | undefined) => `$${(n ?? 0).toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
  const count = (n: number | undefined) => (n ?? 0).toLocaleString('en-US');
  const lines = [
    `Demo data ${r.reused ? 'was already' : 'is'} in app "${r.app_name}" (${r.app_id}), ${r.start.slice(0, 10)} onwards.`,
    `  dashboard   ${apiUrl}  — sign in as ${r.email}${r.password ? ` / ${r.password}   (the password is shown only now)` : ''}`,
    `  sdk_key     ${r.sdk_key}`,
    `  server_key  ${r.server_key}   (shown once${r.reused ? '; the keys were rotated' : ''})`,
    `  installs    ${count(o.installs)} (${count(o.organic_installs)} organic), ${count(o.rejected_installs)} rejected as fraud, ${count(o.reinstalls)} reinstalls`,
    `  events      ${count(o.total_events)}, revenue ${money(o.total_revenue)}, ${count(o.active_users)} active users`,
    `  touches     ${count(o.clicks)} clicks counted, ${count(o.impressions)} impressions; spend ${money(r.plan.cost)}`,
    `  took ${r.seconds} s${r.caught_up ? '' : ' (the pipeline was still storing; refresh the dashboard in a moment)'}`,
    'Live clicks go through /c/:link with X-Forwarded-For: run the server with TRUST_PROXY=1 so each keeps its own address.',
  ];
  return `${lines.join('\n')}\n`;
}

function text(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value.trim() === '') throw new Error(`${flag}: give a value`);
  return value;
}

function url(value: string, flag: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  } catch {
    // fall through to the sentence below
  }
  throw new Error(`${flag}: must be an http(s) URL like http://127.0.0.1:3003, got "${value}"`);
}

function integer(value: string, flag: string, min: number, max: number, what: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new Error(`${flag}: must be a whole number from ${min} to ${max} (${what}), got "${value}"`);
  return n;
}
