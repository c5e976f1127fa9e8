import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendOpsTraffic, type TrafficRun } from './support/ops-traffic.ts';
import { describeWithBinary, PROMTOOL } from './support/prometheus-tools.ts';
import { eventually, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let p: TestPlatform;
let run: TrafficRun;
beforeAll(async () => {
  p = await startTestPlatform();
  run = await sendOpsTraffic(p);
});
afterAll(() => p?.close());

const scrape = async (base: string) => (await fetch(`${base}/metrics`)).text();
/** The value of one series, or null when it is absent. */
function value(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

it('counts what an operator watches: commits, touches, installs, decisions, refusals, sizes, disk, audit chain', async () => {
  await eventually(async () => {
    const text = await scrape(p.ingestUrl);
    expect(value(text, 'unmogrowp_attribution_decisions_total{match_type="device_id",status="attributed"}')).toBe(5);
  });
  await p.opsSample();
  const text = await scrape(p.apiUrl);
  expect(value(text, 'unmogrowp_ingest_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'unmogrowp_ingest_installs_total')).toBe(5);
  expect(value(text, 'unmogrowp_touches_total{touch="click",outcome="recorded",reason="none"}')).toBe(5);
  expect(value(text, 'unmogrowp_touches_total{touch="impression",outcome="recorded",reason="none"}')).toBe(1);
  expect(value(text, 'unmogrowp_touches_total{touch="click",outcome="refused",reason="unknown_link"}')).toBe(1);
  expect(value(text, 'unmogrowp_login_failures_total{reason="bad_credentials"}')).toBe(1);
  expect(value(text, 'unmogrowp_token_refusals_total{kind="access"}')).toBe(1);
  expect(value(text, 'unmogrowp_authorization_refusals_total')).toBe(1);
  expect(value(text, 'unmogrowp_touchpoint_index_entries')).toBeGreaterThanOrEqual(5);
  expect(value(text, 'unmogrowp_device_registry_devices')).toBe(5);
  expect(value(text, 'unmogrowp_postback_queue_depth')).toBe(0);
  expect(value(text, 'unmogrowp_audit_chain_ok')).toBe(1);
  expect(value(text, 'unmogrowp_audit_chain_entries')).toBeGreaterThan(0);
  expect(value(text, 'unmogrowp_ready')).toBe(1);
  expect(value(text, 'unmogrowp_dependency_up{dependency="event_store"}')).toBe(1);
  expect(value(text, 'unmogrowp_data_dir_free_bytes')).toBeGreaterThan(0);
  expect(value(text, 'unmogrowp_role_info{role="all"}')).toBe(1);
  expect(value(text, 'unmogrowp_analytics_query_duration_seconds_count{route="/api/analytics/:app_id/overview",status="200"}')).toBe(2);
  // Scale-out names exist in every process, so dashboards and alerts share one vocabulary.
  expect(text).toContain('# TYPE unmogrowp_store_errors_total counter');
  expect(text).toContain('# TYPE unmogrowp_jetstream_consumer_pending_messages gauge');
});

it('never puts an id, a key or a raw path into a label value', async () => {
  const text = await scrape(p.ingestUrl);
  for (const secret of [run.appId, run.linkId, run.secrets.sdkKey, run.secrets.serverKey, 'lnk_doesnotexist00000']) {
    expect(text).not.toContain(secret);
  }
  const routes = [...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!);
  expect(routes.length).toBeGreaterThan(0);
  for (const route of routes) expect(route === 'unmatched' || !/[A-Za-z0-9]{16,}/.test(route), route).toBe(true);
});

it('counts fraud rejections by kind and reason: a click flood from one IP', async () => {
  for (let i = 0; i < 53; i++) await fetch(`${p.ingestUrl}/c/${run.linkId}`, { redirect: 'manual' });
  await eventually(async () => {
    expect(value(await scrape(p.ingestUrl), 'unmogrowp_fraud_rejections_total{kind="click",reason="click_flood"}')).toBeGreaterThanOrEqual(
      1,
    );
  });
});

describeWithBinary('promtool check metrics', PROMTOOL, 'promtool', () => {
  it('reports nothing for our own metric names', async () => {
    const text = await scrape(p.ingestUrl);
    let report = '';
    try {
      execFileSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      report = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    const ours = report.split('\n').filter((line) => line.includes('unmogrowp_'));
    expect(ours).toEqual([]);
  });
});
