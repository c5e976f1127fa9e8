import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeWithBinary, PROMTOOL } from './support/prometheus-tools.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PROM = path.join(ROOT, 'deploy/prometheus');
const TESTS = path.join(PROM, 'tests');

interface Rule {
  alert?: string;
  expr: string;
  annotations?: Record<string, string>;
}
const rules: Rule[] = parse(readFileSync(path.join(PROM, 'alerts.yml'), 'utf8')).groups.flatMap((g: { rules: Rule[] }) => g.rules);
const alerts = rules.filter((r) => r.alert);
const testFiles = readdirSync(TESTS).filter((f) => f.endsWith('.yml'));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const line of markdown.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (heading)
      out.add(
        heading
          .trim()
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, '')
          .replace(/\s/g, '-'),
      );
  }
  return out;
}

describe('alert rules (deploy/prometheus/alerts.yml)', () => {
  it('covers every condition operations needs', () => {
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining([
        'UnmogrowpRoleDown',
        'UnmogrowpNotReady',
        'UnmogrowpIngest5xxRatio',
        'UnmogrowpIngestAckSlow',
        'UnmogrowpPipelineLagHigh',
        'UnmogrowpPipelineLagGrowing',
        'UnmogrowpStoreWriteFailures',
        'UnmogrowpPostbackFailureRatio',
        'UnmogrowpPostbackBacklogOld',
        'UnmogrowpDiskFullSoon',
        'UnmogrowpEventLoopLag',
        'UnmogrowpAuditChainBroken',
        'UnmogrowpAttributionStalled',
        'UnmogrowpFraudShareJump',
      ]),
    );
  });

  it('gives every alert a summary, a description and a runbook section that exists in docs/operations.md', () => {
    const doc = anchors(readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8'));
    for (const a of alerts) {
      expect(a.annotations?.summary, a.alert).toBeTruthy();
      expect(a.annotations?.description, a.alert).toBeTruthy();
      const url = a.annotations?.runbook_url ?? '';
      expect(url, a.alert).toMatch(/^docs\/operations\.md#[a-z0-9-]+$/);
      expect(doc.has(url.split('#')[1]!), `${a.alert}: ${url}`).toBe(true);
    }
  });

  it('has, per alert, a rule test where it fires and one where it must not', () => {
    const cases = testFiles.flatMap((f) =>
      parse(readFileSync(path.join(TESTS, f), 'utf8')).tests.flatMap(
        (t: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }) => t.alert_rule_test ?? [],
      ),
    );
    for (const a of alerts) {
      const mine = cases.filter((c: { alertname: string }) => c.alertname === a.alert);
      expect(
        mine.some((c: { exp_alerts: unknown[] }) => c.exp_alerts.length > 0),
        `${a.alert} fires somewhere`,
      ).toBe(true);
      expect(
        mine.some((c: { exp_alerts: unknown[] }) => c.exp_alerts.length === 0),
        `${a.alert} stays quiet somewhere`,
      ).toBe(true);
    }
  });
});

describeWithBinary('promtool', PROMTOOL, 'promtool', () => {
  // A day and more of series at one-minute evaluations: seconds on a quiet machine, far more on a busy one.
  it('accepts the rules and passes every rule test', { timeout: 120_000 }, () => {
    const run = (args: string[]) => execFileSync(PROMTOOL!, args, { cwd: PROM, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(run(['check', 'rules', 'alerts.yml'])).toContain('SUCCESS');
    const out = run(['test', 'rules', ...testFiles.map((f) => `tests/${f}`)]);
    expect(out).not.toContain('FAILED');
  });
});

describe('Grafana dashboards (deploy/grafana)', () => {
  it('are exactly what build-dashboards.ts writes, so an edit to one without the other fails', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'unmogrowp-dash-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'deploy/grafana/build-dashboards.ts')], {
        env: { ...process.env, DASHBOARDS_OUT: out },
        stdio: 'ignore',
      });
      const committed = path.join(ROOT, 'deploy/grafana/dashboards');
      const names = readdirSync(out).sort();
      expect(readdirSync(committed).sort()).toEqual(names);
      for (const name of names)
        expect(readFileSync(path.join(committed, name), 'utf8'), name).toBe(readFileSync(path.join(out, name), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('come with provisioning for the datasource and the dashboards folder', () => {
    const ds = parse(readFileSync(path.join(ROOT, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'));
    expect(ds.datasources[0]).toMatchObject({ type: 'prometheus', uid: 'prometheus' });
    const dash = parse(readFileSync(path.join(ROOT, 'deploy/grafana/provisioning/dashboards/unmogrowp.yml'), 'utf8'));
    expect(dash.providers[0]).toMatchObject({ type: 'file', options: { path: expect.any(String) } });
  });
});
