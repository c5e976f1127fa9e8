import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditChaosDataDir, auditFailures, type ChaosAudit } from './chaos-audit.ts';
import { type Child, kill9, startChild } from './child-server.ts';

/**
 * The chaos cycle shared by the CI smoke test (chaos.e2e.test.ts) and bench/chaos.ts: real
 * `unmogrowp start` children under load of clicks, installs, events and postbacks, each ended
 * by kill -9 at a random moment; then one clean start and the checks. Only what a client was
 * told was accepted counts as promised.
 */
export interface ChaosOptions {
  dataDir: string;
  cycles: number;
  /** Load time per cycle before the kill, uniformly random in [min, max] ms. */
  minLoadMs?: number;
  maxLoadMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ChaosResult {
  cycles: number;
  acknowledged_events: number;
  acknowledged_clicks: number;
  devices_installed: number;
  stored_events: number;
  stored_clicks: number;
  install_rows: number;
  devices_with_more_than_one_install: number;
  postbacks_expected: number;
  postbacks_recorded: number;
  postbacks_recorded_twice: number;
  postbacks_delivered_at_least_once: number;
  partner_requests: number;
  kills_mid_postback: number;
  startup_ms: number[];
  /** The checks' wait for the pipeline and the outbox: settled, or gave up at the deadline. */
  settled: boolean;
  waited_ms: number;
  /** Where each acknowledged id ended up, read from the data directory after the last server stopped. */
  audit?: ChaosAudit;
  ok: boolean;
  failures: string[];
}

const PASSWORD = 'chaos chaos chaos 42';
/** Longest wait for a life's first acknowledged click before its load time starts anyway. */
const FIRST_ACK_WAIT_MS = 30_000;

/** A deterministic generator, so a failing run can be repeated with its seed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** The ad network's postback endpoint: slow on purpose, so kills land mid-delivery. */
async function startPartner() {
  const hits = new Map<string, number>();
  let inFlight = 0;
  const server: Server = createServer((req, res) => {
    const install = new URL(req.url ?? '/', 'http://x').searchParams.get('install') ?? '';
    inFlight++;
    setTimeout(() => {
      hits.set(install, (hits.get(install) ?? 0) + 1);
      inFlight--;
      res.writeHead(200).end('ok');
    }, 150);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, hits, inFlight: () => inFlight, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function json(res: Response) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const random = rng(options.seed ?? Date.now());
  const log = options.log ?? (() => {});
  const partner = await startPartner();
  const env = { POSTBACK_ALLOWED_CIDRS: '127.0.0.0/8' };
  const acked = {
    events: new Set<string>(),
    clicks: new Set<string>(),
    installs: new Map<string, string>(),
    sentEvents: new Set<string>(),
    sentClicks: 0,
  };
  const startupMs: number[] = [];
  let killsMidPostback = 0;
  let setup: { appId: string; sdkKey: string; serverKey: string; linkId: string; token: string } | null = null;
  let deviceCounter = 0;
  const start = async () => {
    const t = Date.now();
    const child = await startChild(options.dataDir, env);
    startupMs.push(Date.now() - t);
    return child;
  };
  try {
    for (let cycle = 0; cycle < options.cycles; cycle++) {
      const child = await start();
      setup ??= await createSetup(child, partner.url);
      const loadMs = (options.minLoadMs ?? 300) + random() * ((options.maxLoadMs ?? 2500) - (options.minLoadMs ?? 300));
      // The kill's random moment is counted from the first acknowledgement of this life: on a
      // loaded machine a fresh process may not answer within the whole load time, and a kill
      // before any traffic tests nothing. (The replay of the last life's log runs meanwhile.)
      const window = { stopAt: Number.POSITIVE_INFINITY };
      const ackedBefore = acked.clicks.size;
      const workers = Array.from({ length: 4 }, () => load(child, setup!, window));
      const waitUntil = Date.now() + FIRST_ACK_WAIT_MS;
      while (acked.clicks.size === ackedBefore && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
      window.stopAt = Date.now() + loadMs;
      await new Promise((r) => setTimeout(r, loadMs));
      if (partner.inFlight() > 0) killsMidPostback++;
      await kill9(child);
      await Promise.allSettled(workers);
      log(
        `cycle ${cycle + 1}/${options.cycles}: killed after ${Math.round(loadMs)} ms; acked ${acked.events.size} events, ${acked.clicks.size} clicks`,
      );
    }
    // One clean life: everything acknowledged must end up stored, decided and delivered.
    const final = await start();
    let result: ChaosResult;
    try {
      // A fresh access token: one signed in at the first life has expired after 15 minutes of lives.
      setup = setup ? { ...setup, token: await signIn(final) } : await createSetup(final, partner.url);
      result = await verify(final, setup, partner, acked, options.cycles, startupMs, killsMidPostback);
    } finally {
      await kill9(final);
    }
    // The counts above say how many; the data directory says which and where.
    result.audit = await auditChaosDataDir(options.dataDir, setup.appId, acked);
    result.failures.push(...auditFailures(result.audit));
    result.ok = result.failures.length === 0;
    if (!result.ok) result.failures.push(`final server output: ${final.output().slice(-4000)}`);
    return result;
  } finally {
    await partner.close();
  }

  /** One load worker: a device's click, its install (sometimes sent twice), its events; until stopAt or the kill. */
  async function load(child: Child, s: NonNullable<typeof setup>, window: { stopAt: number }) {
    try {
      while (Date.now() < window.stopAt) {
        const device = `dev-${process.pid}-${++deviceCounter}`;
        const adid = `00000000-0000-4000-8000-${String(deviceCounter).padStart(12, '0')}`;
        acked.sentClicks++;
        const click = await fetch(`${child.ingestUrl}/v1/clicks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${s.serverKey}` },
          body: JSON.stringify({
            link_id: s.linkId,
            // One address per device: clicks from one IP on one link past the click-flood limit
            // are stored as rejected, and the flood counts now survive restarts.
            ip: `198.51.${(deviceCounter >> 8) & 255}.${deviceCounter & 255}`,
            advertising_id: adid,
            click_id: `nc-${device}`,
            user_agent: 'chaos',
          }),
        });
        if (click.status === 202) acked.clicks.add((await json(click)).click_id);
        else continue;
        const installId = `ins-${device}`;
        const events = [
          { event_id: installId, type: 'install', timestamp: new Date(Date.now() + 60_000).toISOString() },
          ...Array.from({ length: 3 }, (_, i) => ({
            event_id: `ev-${device}-${i}`,
            type: 'event',
            name: 'purchase',
            revenue: 1,
            currency: 'EUR',
            timestamp: new Date(Date.now() + 61_000 + i).toISOString(),
          })),
        ].map((e) => ({ ...e, device: { id: device, platform: 'ios', advertising_id: adid } }));
        for (const e of events) acked.sentEvents.add(e.event_id);
        // The install twice (a client retry), then the events as one batch.
        for (const body of [events[0], events[0]]) {
          const res = await fetch(`${child.ingestUrl}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': s.sdkKey },
            body: JSON.stringify(body),
          });
          if (res.status === 202) {
            acked.events.add(installId);
            acked.installs.set(device, installId);
          }
        }
        const batch = await fetch(`${child.ingestUrl}/v1/events/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': s.sdkKey },
          body: JSON.stringify({ events: events.slice(1) }),
        });
        if (batch.status === 202) for (const e of events.slice(1)) acked.events.add(e.event_id);
      }
    } catch {
      // The kill: a request in flight has no answer, so it promised nothing.
    }
  }
}

const EMAIL = `chaos-${process.pid}@example.com`;

async function signIn(child: Child): Promise<string> {
  const res = await fetch(`${child.apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  const { access_token: token } = (await json(res)) as { access_token: string };
  return token;
}

async function createSetup(child: Child, partnerUrl: string) {
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${child.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await json(res) };
  };
  await api('POST', '/api/auth/register', { email: EMAIL, password: PASSWORD, name: 'Chaos' });
  const token = await signIn(child);
  const created = (await api('POST', '/api/apps', { name: 'Chaos', platforms: ['ios'] }, token)).body;
  const appId = created.app.id as string;
  const link = (await api('POST', `/api/apps/${appId}/links`, { name: 'L', media_source: 'chaosnet', campaign: 'c' }, token)).body;
  const put = await api(
    'PUT',
    `/api/apps/${appId}/partners/chaosnet`,
    { url: `${partnerUrl}/pb?install={install_id}`, method: 'GET', events: [], enabled: true },
    token,
  );
  if (put.status >= 300) throw new Error(`partner setup failed: ${JSON.stringify(put.body)}`);
  return { appId, sdkKey: created.sdk_key as string, serverKey: created.server_key as string, linkId: link.link.id as string, token };
}

async function verify(
  child: Child,
  s: { appId: string; serverKey: string; token: string },
  partner: Awaited<ReturnType<typeof startPartner>>,
  acked: { events: Set<string>; clicks: Set<string>; installs: Map<string, string>; sentEvents: Set<string>; sentClicks: number },
  cycles: number,
  startupMs: number[],
  killsMidPostback: number,
): Promise<ChaosResult> {
  const range = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;
  const get = async (path: string, token = s.serverKey) =>
    json(await fetch(`${child.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } }));
  // The delivery log answers at most 1000 rows a page; a long bench records more.
  const allPostbacks = async () => {
    const all: { install_id: string; status: string }[] = [];
    for (;;) {
      const page = (await get(`/api/apps/${s.appId}/postbacks?limit=1000&offset=${all.length}`, s.token)).postbacks ?? [];
      all.push(...page);
      if (page.length < 1000) return all;
    }
  };
  const waitStarted = Date.now();
  const deadline = waitStarted + 120_000;
  let settled = false;
  let overview: { total_events: number; clicks: number };
  let installs: { device_id: string; install_id: string; status: string }[];
  let postbacks: { install_id: string; status: string }[];
  // Wait for the pipeline to catch up and the outbox to drain (retries back off, so give it time).
  for (;;) {
    overview = await get(`/api/analytics/${s.appId}/overview?${range}`);
    installs = await get(`/api/analytics/${s.appId}/installs?${range}`);
    postbacks = await allPostbacks();
    settled =
      overview.total_events >= acked.events.size &&
      overview.clicks >= acked.clicks.size &&
      postbacks.every((p) => p.status === 'delivered') &&
      postbacks.length >= installs.filter((i) => i.status === 'attributed').length;
    if (settled || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const perDevice = new Map<string, number>();
  for (const i of installs) perDevice.set(i.device_id, (perDevice.get(i.device_id) ?? 0) + 1);
  const recorded = new Map<string, number>();
  for (const p of postbacks) recorded.set(p.install_id, (recorded.get(p.install_id) ?? 0) + 1);
  const attributed = installs.filter((i) => i.status === 'attributed');
  const deliveredAtLeastOnce = attributed.filter((i) => (partner.hits.get(i.install_id) ?? 0) >= 1).length;
  const result: ChaosResult = {
    cycles,
    acknowledged_events: acked.events.size,
    acknowledged_clicks: acked.clicks.size,
    devices_installed: acked.installs.size,
    stored_events: overview.total_events,
    stored_clicks: overview.clicks,
    install_rows: installs.length,
    devices_with_more_than_one_install: [...perDevice.values()].filter((n) => n > 1).length,
    postbacks_expected: attributed.length,
    postbacks_recorded: recorded.size,
    postbacks_recorded_twice: [...recorded.values()].filter((n) => n > 1).length,
    postbacks_delivered_at_least_once: deliveredAtLeastOnce,
    partner_requests: [...partner.hits.values()].reduce((a, b) => a + b, 0),
    kills_mid_postback: killsMidPostback,
    startup_ms: startupMs,
    settled,
    waited_ms: Date.now() - waitStarted,
    ok: false,
    failures: [],
  };
  const f = result.failures;
  // Stored may exceed acknowledged: a request killed before its answer may still have been made durable.
  if (result.stored_events < result.acknowledged_events) f.push(`lost events: ${result.acknowledged_events - result.stored_events}`);
  if (result.stored_clicks < result.acknowledged_clicks) f.push(`lost clicks: ${result.acknowledged_clicks - result.stored_clicks}`);
  // ... but never more than was sent: nothing stored twice.
  if (result.stored_events > acked.sentEvents.size) f.push(`events stored twice: ${result.stored_events} > ${acked.sentEvents.size} sent`);
  if (result.stored_clicks > acked.sentClicks) f.push(`clicks stored twice: ${result.stored_clicks} > ${acked.sentClicks} sent`);
  if (result.devices_with_more_than_one_install > 0) f.push(`${result.devices_with_more_than_one_install} devices decided twice`);
  const ackedInstalls = new Set(acked.installs.values());
  const decided = new Set(installs.map((i) => i.install_id));
  const undecided = [...ackedInstalls].filter((id) => !decided.has(id)).length;
  if (undecided > 0) f.push(`${undecided} acknowledged installs never decided`);
  if (result.postbacks_recorded_twice > 0) f.push(`${result.postbacks_recorded_twice} postbacks recorded twice`);
  if (result.postbacks_recorded < result.postbacks_expected)
    f.push(`${result.postbacks_expected - result.postbacks_recorded} postbacks never recorded`);
  if (deliveredAtLeastOnce < attributed.length) f.push(`${attributed.length - deliveredAtLeastOnce} postbacks never delivered`);
  if (!settled) f.push(`the pipeline or the outbox had not settled after ${result.waited_ms} ms`);
  return result;
}
