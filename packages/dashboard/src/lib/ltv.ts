import type { LtvGroup } from './api/ltv.api.ts';
import { type Frame, slotCenter, yOf } from './charts/geometry.ts';

/** Pure helpers of the LTV screen: labels, which groups the chart draws, and their line paths. */

export const LTV_DAY_CHOICES = [7, 30, 90] as const;
/** More lines than this are unreadable; the table lists every group. */
export const MAX_CHART_LINES = 6;
export const LINE_COLOURS = ['#3461d1', '#d9480f', '#2b8a3e', '#ae3ec9', '#0c8599', '#e67700'] as const;

/** "meta", or "meta / spring" when grouped by campaign ("meta / (none)" for spend without a campaign). */
export function groupLabel(g: { media_source: string; campaign: string | null }): string {
  if (g.campaign === null) return g.media_source;
  return `${g.media_source} / ${g.campaign === '' ? '(none)' : g.campaign}`;
}

export interface LtvLine {
  label: string;
  colour: string;
  /** LTV of day 0…k, up to the last day that has ended for at least one cohort */
  values: number[];
}

/** The groups with installs, largest first, each as its LTV curve up to its first day not ended. */
export function chartLines(groups: readonly LtvGroup[]): LtvLine[] {
  return groups
    .filter((g) => g.installs > 0)
    .sort((a, b) => b.installs - a.installs || (groupLabel(a) < groupLabel(b) ? -1 : 1))
    .slice(0, MAX_CHART_LINES)
    .map((g, i) => {
      const firstOpen = g.ltv.indexOf(null);
      const values = (firstOpen < 0 ? g.ltv : g.ltv.slice(0, firstOpen)) as number[];
      return { label: groupLabel(g), colour: LINE_COLOURS[i % LINE_COLOURS.length]!, values };
    });
}

/** A line across `slots` day slots (day N in slot N): a curve that stops early does not stretch to the end. */
export function linePathInSlots(values: readonly number[], slots: number, yMax: number, f: Frame): string {
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${slotCenter(i, slots, f).toFixed(1)},${yOf(v, yMax, f).toFixed(1)}`).join('');
}
