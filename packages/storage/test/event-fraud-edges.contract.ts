import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFraudReport } from '../src/events/analytics-shapes.ts';
import type { InstallRow, TouchRow } from '../src/events/analytics-types.ts';
import type { EventStore } from '../src/events/event-store.ts';
import { install } from './event-analytics.fixtures.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, newAppId } from './event-store.fixtures.ts';

/**
 * The fraud report at the edges of a range, known answers. Whole hours are read from
 * fraud_hourly, the partial hours at the ends from the raw tables (analytics-queries.ts
 * fraudSql): a flagged click, impression and rejected install in a partial hour inside the
 * range, in the same hour just outside it, on the range's first and last millisecond and the
 * ones just outside, and in whole hours, must each count exactly when inside. Rows the report
 * does not count (valid touches, installs not rejected) sit next to them. Each kind gets its
 * own media source and reason per spot, so a row counted in the wrong place shows.
 */

const FROM = at('2024-03-05T10:30:00.000Z');
const TO = at('2024-03-07T13:15:00.000Z');

/** Where the flagged rows are, by name; `true` when inside [FROM, TO). */
const SPOTS: Record<string, [number, boolean]> = {
  start_partial_inside: [at('2024-03-05T10:45:00.000Z'), true],
  start_same_hour_outside: [at('2024-03-05T10:15:00.000Z'), false],
  just_before_from: [FROM - 1, false],
  at_from: [FROM, true],
  whole_hour: [at('2024-03-05T15:20:00.000Z'), true],
  whole_day: [at('2024-03-06T12:00:00.000Z'), true],
  end_partial_inside: [at('2024-03-07T13:05:00.000Z'), true],
  end_same_hour_outside: [at('2024-03-07T13:30:00.000Z'), false],
  last_ms: [TO - 1, true],
  at_to: [TO, false],
  hour_before: [at('2024-03-05T09:30:00.000Z'), false],
};

const touch = (app: string, id: string, iso: string, over: Partial<TouchRow>): TouchRow => ({
  app_id: app,
  click_id: id,
  link_id: 'L1',
  ts: at(iso),
  ip: '198.51.100.23',
  platform: 'ios',
  media_source: 'meta',
  campaign: 'spring',
  ad_set: '',
  ad: '',
  site_id: '',
  fraud_reason: '',
  ...over,
});

type Flagged = { kind: 'install' | 'click' | 'impression'; source: string; reason: string; t: number };

function fixture(app: string) {
  const flagged: Flagged[] = [];
  const clicks: TouchRow[] = [];
  const impressions: TouchRow[] = [];
  const installs: InstallRow[] = [];
  let n = 0;
  for (const [name, [t]] of Object.entries(SPOTS)) {
    const iso = new Date(t).toISOString();
    for (const kind of ['install', 'click', 'impression'] as const) {
      const row = { kind, source: `${kind}_src_${name}`, reason: `${kind}_why_${name}`, t };
      flagged.push(row);
      const over = { media_source: row.source, fraud_reason: row.reason };
      if (kind === 'click') clicks.push(touch(app, `fc${n}`, iso, over), touch(app, `vc${n}`, iso, { media_source: row.source }));
      if (kind === 'impression') impressions.push(touch(app, `fi${n}`, iso, over), touch(app, `vi${n}`, iso, { media_source: row.source }));
      if (kind === 'install') {
        installs.push(
          install(app, `ri${n}`, `d${n}`, iso, { ...over, status: 'rejected', match_type: 'none' }),
          // Counted elsewhere, never here: a new install, even one with a reason on it.
          install(app, `ai${n}`, `e${n}`, iso, { ...over, status: 'attributed' }),
        );
      }
      n++;
    }
  }
  // The same (kind, source, reason) in a whole hour and a partial one: the two parts add up.
  const twice = { media_source: 'shared', fraud_reason: 'click_flood' };
  clicks.push(touch(app, 'shared-1', '2024-03-05T10:50:00.000Z', twice), touch(app, 'shared-2', '2024-03-06T01:10:00.000Z', twice));
  flagged.push({ kind: 'click', source: 'shared', reason: 'click_flood', t: at('2024-03-05T10:50:00.000Z') });
  flagged.push({ kind: 'click', source: 'shared', reason: 'click_flood', t: at('2024-03-06T01:10:00.000Z') });
  return { flagged, clicks, impressions, installs };
}

/** The report the flagged rows of [from, to) make, one row each. */
function expected(flagged: readonly Flagged[], from: number, to: number) {
  return toFraudReport(
    flagged.filter((f) => f.t >= from && f.t < to).map((f) => ({ kind: f.kind, source: f.source, reason: f.reason, n: 1 })),
  );
}

export function describeEventFraudEdgesContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore fraud report at range edges: ${adapter}`, () => {
    let store: EventStore;
    const app = newAppId();
    const rows = fixture(app);

    beforeAll(async () => {
      store = await harness.open(await harness.newLocation());
      await store.migrate();
      // Two batches each, so fraud_hourly's rows are summed from several parts at query time.
      for (const [insert, list] of [
        [(r: typeof rows.clicks) => store.insertClicks(r), rows.clicks],
        [(r: typeof rows.impressions) => store.insertImpressions(r), rows.impressions],
      ] as const) {
        await insert(list.slice(0, 9));
        await insert(list.slice(9));
      }
      await store.insertInstalls(rows.installs.slice(0, 9));
      await store.insertInstalls(rows.installs.slice(9));
    });
    afterAll(async () => {
      await store?.close();
    });

    it('counts each flagged row of the range once, in a partial hour, a whole hour or a whole day, and none outside', async () => {
      const report = await store.fraud(app, { from: FROM, to: TO });
      // 6 spots inside per kind; the shared click twice more.
      expect(report).toMatchObject({ rejected_installs: 6, rejected_clicks: 8, rejected_impressions: 6 });
      expect(report.by_media_source.map((r) => r.media_source)).not.toContain('click_src_start_same_hour_outside');
      expect(report.by_media_source.find((r) => r.media_source === 'shared')).toEqual({
        media_source: 'shared',
        reason: 'click_flood',
        installs: 0,
        clicks: 2,
        impressions: 0,
      });
      expect(report).toEqual(expected(rows.flagged, FROM, TO));
    });

    it('counts two different batches that roll up to identical fraud_hourly rows twice, a retried batch once', async () => {
      const other = newAppId();
      const one = (id: string) => [touch(other, id, '2024-03-05T15:20:00.000Z', { fraud_reason: 'click_flood' })];
      await store.insertClicks(one('x'));
      await store.insertClicks(one('y'));
      const retried = one('z');
      await store.insertClicks(retried);
      await store.insertClicks(retried);
      expect(await store.fraud(other, { from: FROM, to: TO })).toMatchObject({ rejected_clicks: 3 });
    });

    it('counts flagged rows outside the rollup window (before 1970, from 2100) from the raw rows', async () => {
      const other = newAppId();
      const flagged = (id: string, iso: string) => touch(other, id, iso, { fraud_reason: 'click_flood' });
      await store.insertClicks([
        flagged('old', '1969-12-31T23:59:59.999Z'),
        flagged('new', '2120-06-01T12:00:00.000Z'),
        flagged('now', '2024-03-01T12:00:00.000Z'),
      ]);
      await store.insertInstalls([install(other, 'late', 'd-late', '2150-01-01T00:00:00.000Z', { status: 'rejected', fraud_reason: 'x' })]);
      const all = await store.fraud(other, { from: at('1960-01-01T00:00:00Z'), to: at('2200-01-01T00:00:00Z') });
      expect(all).toMatchObject({ rejected_clicks: 3, rejected_installs: 1 });
      const late = await store.fraud(other, { from: at('2100-01-01T00:00:00Z'), to: at('2200-01-01T00:00:00Z') });
      expect(late).toMatchObject({ rejected_clicks: 1, rejected_installs: 1 });
    });

    it.each([
      ['a millisecond wider at the start', FROM - 1, TO],
      ['a millisecond later', FROM + 1, TO + 1],
      ['a millisecond shorter', FROM, TO - 1],
      ['whole hours only (no raw edges)', at('2024-03-05T10:00:00.000Z'), at('2024-03-07T14:00:00.000Z')],
      ['whole hours only, inside', at('2024-03-05T11:00:00.000Z'), at('2024-03-07T13:00:00.000Z')],
      ['inside one hour', at('2024-03-05T10:20:00.000Z'), at('2024-03-05T10:55:00.000Z')],
      ['the whole month', at('2024-03-01T00:00:00.000Z'), at('2024-04-01T00:00:00.000Z')],
    ])('over %s: the flagged rows of the range', async (_name, from, to) => {
      expect(await store.fraud(app, { from, to })).toEqual(expected(rows.flagged, from, to));
    });
  });
}
