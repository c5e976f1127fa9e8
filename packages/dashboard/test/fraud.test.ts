import { describe, expect, it } from 'vitest';
import { normalizeFraud, totalOf } from '../src/lib/fraud.ts';

describe('normalizeFraud', () => {
  it('reads reason lists for installs and clicks, largest first', () => {
    const f = normalizeFraud({
      installs: [
        { reason: 'blocked_ip', count: 1 },
        { reason: 'ctit_too_short', count: 4 },
      ],
      clicks: [{ reason: 'click_flood', count: '120' }],
    });
    expect(f.installs.map((r) => r.reason)).toEqual(['ctit_too_short', 'blocked_ip']);
    expect(totalOf(f.installs)).toBe(5);
    expect(f.clicks).toEqual([{ reason: 'click_flood', count: 120 }]);
  });

  it('reads records keyed by reason and rejected_* names', () => {
    const f = normalizeFraud({ rejected_installs: { click_injection: 2, total: 2 }, rejected_clicks: { by_reason: { click_flood: 7 } } });
    expect(f.installs).toEqual([{ reason: 'click_injection', count: 2 }]);
    expect(f.clicks).toEqual([{ reason: 'click_flood', count: 7 }]);
  });

  it('splits combined rows into installs and clicks, and keeps per-source rows', () => {
    const f = normalizeFraud({
      reasons: [
        { reason: 'ctit_too_short', installs: 3, clicks: 0 },
        { reason: 'click_flood', installs: 0, clicks: 60 },
      ],
      by_media_source: [{ media_source: 'net_a', reason: 'ctit_too_short', installs: 3 }],
    });
    expect(f.installs).toEqual([{ reason: 'ctit_too_short', count: 3 }]);
    expect(f.clicks).toEqual([{ reason: 'click_flood', count: 60 }]);
    expect(f.bySource).toEqual([{ media_source: 'net_a', reason: 'ctit_too_short', installs: 3, clicks: 0 }]);
  });

  it('is empty, not broken, for nothing', () => {
    expect(normalizeFraud({})).toEqual({ installs: [], clicks: [], bySource: [] });
    expect(normalizeFraud(undefined).installs).toEqual([]);
  });
});
