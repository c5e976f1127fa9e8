import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attribution } from '@unmogrowp/attribution';
import { createApp, getPostback, listPostbacks, openControlStore, putPartner, type SqlDb } from '@unmogrowp/storage';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  allowedTargets,
  enqueueAttributedPostbacks,
  type InstallForPostback,
  type PostbackAttemptOutcome,
  type PostbackWorker,
  partnerLookupFrom,
  startPostbackWorker,
} from '../src/index.ts';
import { type PartnerServer, startPartnerServer, waitFor } from './support/partner-server.ts';

const T0 = Date.UTC(2026, 3, 1, 9, 0, 0);
const SECOND = 1000;
const DAY = 86_400_000;

const ATTRIBUTED: Attribution = {
  status: 'attributed',
  match_type: 'device_id',
  media_source: 'network_a',
  campaign: '春のセール & more',
  ad_set: 'set/1',
  ad: '',
  site_id: 'pub 7',
  link_id: 'lnk_AAAAAAAAAAAA',
  click_id: 'clk_ours',
  network_click_id: 'nc?1=2#x',
  touch_at: T0 - 120 * SECOND,
  ctit_seconds: 120,
  fraud_reason: '',
  is_reattribution: false,
};

describe('postback delivery against a partner endpoint', () => {
  let dir: string;
  let db: SqlDb;
  let server: PartnerServer;
  let appId: string;
  let clock = T0;
  let worker: PostbackWorker | null = null;
  let outcomes: PostbackAttemptOutcome[] = [];
  let installSeq = 0;

  const start = (over: Partial<Parameters<typeof startPostbackWorker>[0]> = {}) => {
    outcomes = [];
    worker = startPostbackWorker({
      db,
      // The partner stand-in listens on loopback, which delivery refuses unless allowed.
      allowed: allowedTargets(['127.0.0.1/32']),
      intervalMs: 5,
      now: () => clock,
      random: () => 0.5,
      onAttempt: (o) => outcomes.push(o),
      ...over,
    });
    return worker;
  };
  const requestsTo = (path: string) => server.seen.filter((r) => r.url.startsWith(`${path}?`));
  /** Sets a partner whose endpoint is `path` and enqueues one attributed install for it. */
  const installFor = async (path: string, over: Partial<InstallForPostback> = {}, method: 'GET' | 'POST' = 'GET') => {
    const source = `net_${path.slice(1)}`;
    await putPartner(db, appId, source, {
      url: `${server.base}${path}?click={click_id}&camp={campaign}&set={ad_set}&site={site_id}&ev={event_name}&ts={timestamp}&ctit={ctit}&idfa={advertising_id}&mt={match_type}`,
      method,
    });
    const install: InstallForPostback = {
      app_id: appId,
      install_id: `ins_${++installSeq}`,
      device_id: 'dev-1',
      advertising_id: 'AAAA-BBBB',
      installed_at: clock,
      attribution: { ...ATTRIBUTED, media_source: source },
      ...over,
    };
    expect(await enqueueAttributedPostbacks(db, { installs: [install] }, { partnerOf: partnerLookupFrom(db), now: clock })).toBe(1);
    return install;
  };
  const logOf = async (install: InstallForPostback) => (await listPostbacks(db, appId)).find((p) => p.install_id === install.install_id)!;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'unmogrowp-postbacks-'));
    db = await openControlStore({ dataDir: dir, databaseUrl: null });
    appId = (await createApp(db, { name: 'Postbacks', platforms: ['ios'] })).app.id;
    server = await startPartnerServer();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('retries 503 and 500, delivers on the third attempt with the macros rendered, and logs three attempts', async () => {
    server.script('/retry', [503, 500]);
    const install = await installFor('/retry');
    start();
    await waitFor(() => requestsTo('/retry').length === 1, 'the first attempt');
    await waitFor(async () => (await logOf(install)).attempts === 1, 'the first attempt to be recorded');
    // The first retry is due 5 s later (no jitter): nothing happens until the clock gets there.
    clock += 4 * SECOND;
    await new Promise((r) => setTimeout(r, 50));
    expect(requestsTo('/retry')).toHaveLength(1);
    clock += 1 * SECOND;
    await waitFor(() => requestsTo('/retry').length === 2, 'the second attempt');
    await waitFor(async () => (await logOf(install)).attempts === 2, 'the second attempt to be recorded');
    clock += 30 * SECOND;
    await waitFor(async () => (await logOf(install)).status === 'delivered', 'delivery');

    const seen = requestsTo('/retry');
    expect(seen).toHaveLength(3);
    const query = seen[2]!.url.split('?')[1]!;
    expect(query).toBe(
      [
        'click=nc%3F1%3D2%23x',
        'camp=%E6%98%A5%E3%81%AE%E3%82%BB%E3%83%BC%E3%83%AB%20%26%20more',
        'set=set%2F1',
        'site=pub%207',
        'ev=install',
        `ts=${Math.floor(install.installed_at / 1000)}`,
        'ctit=120',
        'idfa=AAAA-BBBB',
        'mt=device_id',
      ].join('&'),
    );
    expect(new URLSearchParams(query).get('camp')).toBe('春のセール & more');
    expect(seen.every((r) => r.method === 'GET' && r.headers['user-agent'] === 'UnMoGrowP-Postback/1')).toBe(true);

    const log = await logOf(install);
    expect(log).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, delivered_at: clock });
    expect(log.attempts_log.map((a) => [a.attempt, a.status_code, a.error])).toEqual([
      [1, 503, null],
      [2, 500, null],
      [3, 200, null],
    ]);
    expect(log.attempts_log.map((a) => a.at)).toEqual([T0, T0 + 5 * SECOND, T0 + 35 * SECOND]);
    expect(outcomes.map((o) => [o.attempt, o.status_code, o.outcome])).toEqual([
      [1, 503, 'retry'],
      [2, 500, 'retry'],
      [3, 200, 'delivered'],
    ]);
  });

  it('does not retry a 400', async () => {
    server.script('/bad', [400]);
    const install = await installFor('/bad');
    start();
    await waitFor(async () => (await logOf(install)).status === 'failed', 'the final failure');
    clock += DAY;
    await new Promise((r) => setTimeout(r, 50));
    expect(requestsTo('/bad')).toHaveLength(1);
    expect((await logOf(install)).attempts_log.map((a) => a.status_code)).toEqual([400]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['failed']);
  });

  it('retries a timeout, then delivers', async () => {
    server.script('/slow', [{ hang: 2_000 }]);
    const install = await installFor('/slow');
    // 400 ms: long enough that the request reaches the partner (and uses up its scripted hang) on a
    // loaded machine, far shorter than the 2 s hang.
    start({ timeoutMs: 400, leaseMs: 1_000 });
    await waitFor(async () => (await logOf(install)).attempts === 1, 'the timed-out attempt');
    expect((await logOf(install)).attempts_log[0]).toMatchObject({ status_code: null, error: expect.stringMatching(/^timeout/) });
    expect((await logOf(install)).status).toBe('pending');
    clock += 10 * SECOND;
    await waitFor(async () => (await logOf(install)).status === 'delivered', 'delivery after the timeout');
    expect(outcomes.map((o) => [o.error, o.outcome])).toEqual([
      ['timeout', 'retry'],
      [null, 'delivered'],
    ]);
  });

  it('retries when the partner cannot be reached at all', async () => {
    const closed = await startPartnerServer();
    await closed.close();
    await putPartner(db, appId, 'net_gone', { url: `${closed.base}/gone?c={click_id}` });
    const install: InstallForPostback = {
      app_id: appId,
      install_id: 'ins_gone',
      device_id: 'd',
      advertising_id: '',
      installed_at: clock,
      attribution: { ...ATTRIBUTED, media_source: 'net_gone' },
    };
    await enqueueAttributedPostbacks(db, { installs: [install] }, { partnerOf: partnerLookupFrom(db), now: clock });
    start();
    await waitFor(async () => (await logOf(install)).attempts === 1, 'the refused attempt');
    const log = await logOf(install);
    expect(log.status).toBe('pending');
    expect(log.last_error).toMatch(/^network: .*ECONNREFUSED/);
  });

  it('sends POST partners the macros as JSON', async () => {
    const install = await installFor('/json', { advertising_id: 'ÄÖ-1' }, 'POST');
    start();
    await waitFor(async () => (await logOf(install)).status === 'delivered', 'delivery');
    const [request] = requestsTo('/json');
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toMatchObject({
      click_id: 'nc?1=2#x',
      install_id: install.install_id,
      event_name: 'install',
      campaign: '春のセール & more',
      advertising_id: 'ÄÖ-1',
      ctit: 120,
      timestamp: Math.floor(install.installed_at / 1000),
      revenue: null,
    });
  });

  it('carries on after a database error', async () => {
    const install = await installFor('/flaky');
    let failures = 1;
    const errors: unknown[] = [];
    const flaky: SqlDb = {
      ...db,
      kind: db.kind,
      query: (sql, params) => (failures-- > 0 ? Promise.reject(new Error('connection reset')) : db.query(sql, params)),
      transaction: (fn) => db.transaction(fn),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
    } as SqlDb;
    start({ db: flaky, onError: (err) => errors.push(err) });
    await waitFor(async () => (await logOf(install)).status === 'delivered', 'delivery after the error');
    expect(errors.map((e) => (e as Error).message)).toEqual(['connection reset']);
  });

  // Last: it closes and reopens the database.
  it('delivers a postback left pending across a restart', async () => {
    server.script('/restart', [503]);
    const install = await installFor('/restart');
    start();
    await waitFor(async () => (await logOf(install)).attempts === 1, 'the failed attempt');
    await worker!.stop();
    worker = null;
    await db.close();

    db = await openControlStore({ dataDir: dir, databaseUrl: null });
    expect((await getPostback(db, (await logOf(install)).id))?.status).toBe('pending');
    clock += 10 * SECOND;
    start();
    await waitFor(async () => (await logOf(install)).status === 'delivered', 'delivery after the restart');
    expect(requestsTo('/restart')).toHaveLength(2);
    expect((await logOf(install)).attempts_log.map((a) => a.status_code)).toEqual([503, 200]);
  });
});
