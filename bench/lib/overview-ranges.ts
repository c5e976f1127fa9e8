const DAY = 86_400_000;

/** A range as [from, to) in epoch ms. */
export type Range = { from: number; to: number };

/**
 * The overview ranges every query bench measures, over data of `days` days from `start`: the
 * whole month; one like the API's default (now − 30 days … now), with partial hours at both
 * ends; the same across a month end (all the data in its second month); and a quarter.
 */
export function overviewRanges(start: number, days = 30): Record<'month' | 'unaligned' | 'two_months' | 'quarter', Range> {
  const month = { from: start, to: start + days * DAY };
  return {
    month,
    unaligned: { from: month.from + 1_234_567, to: month.to - 7_654_321 },
    two_months: { from: month.from - 9 * DAY - 3_456_789, to: month.to - 9 * DAY + 2_345_678 },
    quarter: { from: month.from - 60 * DAY, to: month.to },
  };
}
