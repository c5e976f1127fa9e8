import { type Credentials, configureApp, DEMO_EMAIL, ensureApp, ensureLinks, importCosts, newPassword, signIn } from './api-setup.ts';
import { describeAnswer, HttpClient } from './http-client.ts';
import { type SendStats, sendEvents, sendLive, sendTouches } from './ingest-sender.ts';
import { planDemo } from './plan.ts';
import type { PlanTotals } from './plan-types.ts';
import { DAY } from './timeline.ts';
import { eventStreams, nativeEvent, packBatches } from './wire.ts';

/** Event batches in flight at once (on disjoint devices). */
const EVENT_STREAMS = 4;

export interface DemoOptions {
  apiUrl: string;
  ingestUrl: string;
  /** both or neither; neither: `demo@unmogrowp.local` with a new random password */
  email?: string;
  password?: string;
  days: number;
  scale: number;
  seed: string;
  /** how long to wait for the analytics to show everything sent (default 90 s) */
  waitMs?: number;
  /** progress lines (the command writes them to stderr) */
  log?: (line: string) => void;
}

export interface DemoResult {
  app_id: string;
  app_name: string;
  /** the app of an earlier run with the same seed, days and scale: its events were already there */
  reused: boolean;
  email: string;
  /** only when the demo made the account up */
  password?: string;
  sdk_key: string;
  server_key: string;
  /** distinct devices installed (rejected installs included; reinstalls not) */
  installs: number;
  /** events sent (each counted once, whether new or already stored) */
  events: number;
  clicks: number;
  impressions: number;
  cost_rows: number;
  plan: PlanTotals;
  sent: { touches: SendStats; live: SendStats; events: SendStats };
  /** what the server's overview says for the period once it caught up (or when waiting ran out) */
  overview: Record<string, number>;
  caught_up: boolean;
  /** the first planned day (UTC midnight), and the range the overview covers */
  start: string;
  period: { from: string; to: string };
  seconds: number;
}

/** The demo app's name says what filled it, so that a re-run with the same options finds it again. */
export function demoAppName(o: Pick<DemoOptions, 'seed' | 'days' | 'scale'>): string {
  return `Lumen Quest demo (seed ${o.seed}, ${o.days} days × ${o.scale}/day)`;
}

/**
 * `unmogrowp demo`: plans a month (plan.ts) anchored at the demo app's creation, then plays it
 * through the public routes of a running server — account and app through the API, clicks and
 * impressions server to server and through the tracking URLs, events in batches — and waits
 * until the analytics show it.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const api = new HttpClient(options.apiUrl, 'API', 4);
  const ingest = new HttpClient(options.ingestUrl, 'ingest listener');
  try {
    for (const [client, name] of [
      [api, 'API'],
      [ingest, 'ingest listener'],
    ] as const) {
      const health = await client.request('GET', '/health');
      if (health.status !== 200) throw new Error(`the ${name} answers /health with ${describeAnswer(health)}`);
    }
    const creds: Credentials =
      options.email && options.password
        ? { email: options.email, password: options.password, generated: false }
        : { email: DEMO_EMAIL, password: newPassword(), generated: true };
    const session = await signIn(api, creds);
    const appName = demoAppName(options);
    const app = await ensureApp(session, appName);
    log(`${app.reused ? 'found' : 'created'} app ${app.id} "${appName}"${app.reused ? ' (keys rotated)' : ''}`);

    const plan = planDemo({ seed: options.seed, days: options.days, scale: options.scale, anchor: app.created_at });
    const t = plan.totals;
    log(`planned ${t.devices} installs, ${plan.events.length} events, ${plan.touches.length + plan.live.length} clicks and impressions`);
    const linkIds = await ensureLinks(session, app.id, plan.links);
    for (const note of await configureApp(session, app.id, plan.blocked_cidrs, options.apiUrl)) log(`note: ${note}`);
    const costRows = await importCosts(session, app.id, plan.costs);
    log(`${linkIds.size} links, fraud block list, 2 partners, ${costRows} cost rows`);

    const touches = await sendTouches(ingest, app.server_key, plan.touches, linkIds, (done, total) =>
      log(`touches ${done}/${total} (${seconds(started)} s)`),
    );
    const live = await sendLive(ingest, plan.live, linkIds);
    log(`live: ${live.stats.accepted} clicks and impressions through /c and /i, ${live.installs.length} of them install`);
    const clickIds = new Map([...touches.clickIds, ...live.clickIds]);
    const streams = eventStreams([...plan.events, ...live.installs], EVENT_STREAMS).map((stream) =>
      packBatches(stream.map((e) => nativeEvent(e, clickIds))),
    );
    const events = await sendEvents(ingest, app.server_key, streams, (done, total) =>
      log(`event batches ${done}/${total} (${seconds(started)} s)`),
    );
    if (events.rejected > 0) log(`${events.rejected} events were refused; the first: ${events.firstRejection}`);

    const period = { from: new Date(plan.start - DAY).toISOString(), to: new Date(Date.now() + DAY).toISOString() };
    const expected = { installs: t.devices, events: events.accepted + events.duplicates };
    const { overview, caught_up } = await waitForAnalytics(api, app, period, expected, options.waitMs ?? 90_000);
    log(caught_up ? `analytics caught up (${seconds(started)} s)` : 'the pipeline is still storing; the dashboard will catch up');
    return {
      app_id: app.id,
      app_name: appName,
      reused: app.reused,
      email: creds.email,
      ...(creds.generated ? { password: creds.password } : {}),
      sdk_key: app.sdk_key,
      server_key: app.server_key,
      installs: t.devices,
      events: expected.events,
      clicks: t.clicks,
      impressions: t.impressions,
      cost_rows: costRows,
      plan: t,
      sent: { touches: touches.stats, live: live.stats, events },
      overview,
      caught_up,
      start: new Date(plan.start).toISOString(),
      period,
      seconds: seconds(started),
    };
  } finally {
    api.close();
    ingest.close();
  }
}

/** Polls the overview (pull API, server key) until every install and event sent shows. */
async function waitForAnalytics(
  api: HttpClient,
  app: { id: string; server_key: string },
  period: { from: string; to: string },
  expected: { installs: number; events: number },
  waitMs: number,
): Promise<{ overview: Record<string, number>; caught_up: boolean }> {
  const deadline = Date.now() + waitMs;
  const query = new URLSearchParams(period);
  for (;;) {
    const answer = await api.request('GET', `/api/analytics/${app.id}/overview?${query}`, {
      headers: { authorization: `Bearer ${app.server_key}` },
    });
    if (answer.status !== 200) throw new Error(`GET overview: ${describeAnswer(answer)}`);
    const o = answer.body as Record<string, number>;
    const caught = o.installs! + o.rejected_installs! >= expected.installs && o.total_events! >= expected.events;
    if (caught || Date.now() > deadline) return { overview: o, caught_up: caught };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 100) / 10;
}
