import { describe, expect, it } from 'vitest';
import { planDemo } from '../src/demo/plan.ts';

const DAY = 86_400_000;

// The demo's small plans used to hang on the minute they were made: with the e2e options,
// 10 of 206 anchors through a day planned no purchase at all, so the overview showed no revenue.
describe('planDemo', () => {
  it('plans revenue however small the scale and whatever the minute it runs at', () => {
    const base = Date.UTC(2026, 11, 7);
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const plan = planDemo({ seed: 'e2e-7', days: 3, scale: 20, anchor: base + minute * 60_000 });
      expect(plan.totals.purchases, `anchor +${minute} min`).toBeGreaterThan(0);
      expect(plan.totals.revenue).toBeGreaterThan(0);
    }
  });

  it('stays the same plan for the same options (a re-run sends nothing new)', () => {
    const options = { seed: 'same', days: 2, scale: 5, anchor: Date.UTC(2026, 0, 1) + DAY / 3 };
    expect(planDemo(options)).toEqual(planDemo(options));
  });
});
