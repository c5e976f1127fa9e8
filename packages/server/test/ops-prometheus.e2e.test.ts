import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PartnerServer, startPartnerServer } from '../../pipeline/test/support/partner-server.ts';
import { freePort } from './support/child-server.ts';
import { sendOpsTraffic } from './support/ops-traffic.ts';
import { describeWithBinary, PROMETHEUS } from './support/prometheus-tools.ts';
import { eventually, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DASHBOARDS = path.join(ROOT, 'deploy/grafana/dashboards');

interface Target {
  expr: string;
}
interface Panel {
  title: string;
  type: string;
  description?: string;
  targets?: Target[];
}

/** Grafana's variables as Grafana would fill them with "All" selected and a short range. */
function substitute(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '30s')
    .replaceAll('$__interval', '5s')
    .replaceAll('$__range', '5m')
    .replaceAll('$role', '.*')
    .replaceAll('$instance', '.*');
}

describeWithBinary('dashboards and rules against a real Prometheus scraping a running platform', PROMETHEUS, 'prometheus', () => {
  let p: TestPlatform;
  let partner: PartnerServer;
  let prometheus: ChildProcess;
  let promUrl: string;
  let dir: string;
  let promLog = '';

  const query = async (expr: string) => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  };

  beforeAll(async () => {
    partner = await startPartnerServer();
    p = await startTestPlatform({ POSTBACK_ALLOWED_CIDRS: '127.0.0.0/8' });
    // The shipped configuration, with only the scrape interval shortened and the targets file ours.
    dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-prom-'));
    const config = (await readFile(path.join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8'))
      .replace('scrape_interval: 15s', 'scrape_interval: 1s')
      .replace('evaluation_interval: 15s', 'evaluation_interval: 1s')
      .replace('refresh_interval: 30s', 'refresh_interval: 1s');
    await writeFile(path.join(dir, 'prometheus.yml'), config);
    await copyFile(path.join(ROOT, 'deploy/prometheus/alerts.yml'), path.join(dir, 'alerts.yml'));
    await mkdir(path.join(dir, 'targets'));
    await writeFile(path.join(dir, 'targets/test.yml'), `- targets: ['${new URL(p.ingestUrl).host}']\n  labels:\n    role: all\n`);
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS!,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=1h',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stderr!.on('data', (d) => (promLog += d));
    await eventually(async () => expect((await fetch(`${promUrl}/-/ready`)).status).toBe(200), 20_000).catch((err) => {
      throw new Error(`prometheus did not start: ${promLog.slice(-2000)} (${err})`);
    });
    await sendOpsTraffic(p, { partnerUrl: partner.base, clickFlood: true });
    // Postbacks delivered and every sample of the traffic scraped at least twice.
    await eventually(async () => expect(partner.seen.length).toBeGreaterThan(0), 15_000);
    for (const series of ['unmogrowp_postback_attempts_total{outcome="delivered"}', 'unmogrowp_fraud_rejections_total']) {
      await eventually(async () => expect((await query(`increase(${series}[30s])`)).data?.result.length).toBeGreaterThan(0), 20_000);
    }
  }, 60_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await Promise.all([p?.close(), partner?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('scrapes the platform through the shipped configuration and loads every alert rule', async () => {
    const up = await query('up{job="unmogrowp",role="all"}');
    expect(up.data?.result).toEqual([expect.objectContaining({ value: [expect.any(Number), '1'] })]);
    const rules = (await (await fetch(`${promUrl}/api/v1/rules?type=alert`)).json()) as {
      data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
    };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    const shipped = (await readFile(path.join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')).match(/- alert: /g)!.length;
    expect(loaded).toHaveLength(shipped);
    for (const rule of loaded) expect(rule.health, `${rule.name}: ${rule.lastError}`).not.toBe('err');
  });

  it('answers every panel of every dashboard without error, with data for the traffic that was sent', async () => {
    const files = (await readdir(DASHBOARDS)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const empty: string[] = [];
    let checked = 0;
    for (const file of files) {
      const dashboard = JSON.parse(await readFile(path.join(DASHBOARDS, file), 'utf8')) as { panels: Panel[] };
      for (const panel of dashboard.panels.filter((x) => x.type !== 'row')) {
        for (const target of panel.targets ?? []) {
          const expr = substitute(target.expr);
          expect(expr, `${file} ${panel.title}: a Grafana variable is left`).not.toMatch(/\$/);
          const answer = await query(expr);
          expect(answer.status, `${file} ${panel.title}: ${expr}: ${answer.error}`).toBe('success');
          checked++;
          const scaleOutOnly = panel.description?.startsWith('Scale-out only') ?? false;
          if (!scaleOutOnly && answer.data?.result.length === 0) empty.push(`${file} ${panel.title}: ${expr}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(empty).toEqual([]);
  });
});
