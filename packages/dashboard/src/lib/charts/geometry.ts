/** Pure chart geometry for the hand-written SVG charts: ticks, scales, bar rectangles, line paths. */

/** Round tick steps (1, 2, 5 × 10^n) from 0 to at least `max`; always at least [0, 1]. */
export function niceTicks(max: number, target = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power) as number;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks.at(-1) ?? 0) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function plotWidth(f: Frame): number {
  return Math.max(0, f.width - f.left - f.right);
}

export function plotHeight(f: Frame): number {
  return Math.max(0, f.height - f.top - f.bottom);
}

/** y pixel of a value, 0 at the bottom of the plot and `yMax` at its top. */
export function yOf(value: number, yMax: number, f: Frame): number {
  const h = plotHeight(f);
  return f.top + h - (yMax > 0 ? (value / yMax) * h : 0);
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Equal slots across the plot, each bar filling most of its slot (at least 1 px so a bar is visible). */
export function barsFor(values: readonly number[], yMax: number, f: Frame): Bar[] {
  const n = values.length;
  if (n === 0) return [];
  const slot = plotWidth(f) / n;
  const width = Math.max(1, slot * (slot > 6 ? 0.72 : 0.9));
  const base = yOf(0, yMax, f);
  return values.map((v, i) => {
    const y = yOf(Math.max(0, v), yMax, f);
    return { x: f.left + i * slot + (slot - width) / 2, y, width, height: Math.max(0, base - y) };
  });
}

/** x of the centre of slot i (shared by bars, line points and hover targets). */
export function slotCenter(i: number, n: number, f: Frame): number {
  return f.left + (plotWidth(f) / Math.max(1, n)) * (i + 0.5);
}

export function linePath(values: readonly number[], yMax: number, f: Frame): string {
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${slotCenter(i, values.length, f).toFixed(1)},${yOf(v, yMax, f).toFixed(1)}`).join('');
}

/** The line's path closed down to the axis, for a soft fill under it. */
export function areaPath(values: readonly number[], yMax: number, f: Frame): string {
  if (values.length === 0) return '';
  const base = yOf(0, yMax, f).toFixed(1);
  const first = slotCenter(0, values.length, f).toFixed(1);
  const last = slotCenter(values.length - 1, values.length, f).toFixed(1);
  return `${linePath(values, yMax, f)}L${last},${base}L${first},${base}Z`;
}

/** Which x-axis labels to draw so they do not overlap: about one per `minGap` pixels. */
export function labelIndexes(n: number, f: Frame, minGap = 64): number[] {
  if (n === 0) return [];
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotWidth(f) / minGap))));
  const out: number[] = [];
  for (let i = 0; i < n; i += every) out.push(i);
  return out;
}
