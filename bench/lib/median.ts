/** The middle value of `xs` (the upper of the two middle ones for an even count); the benches quote medians of runs. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
