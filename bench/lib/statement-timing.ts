import { median } from './median.ts';

export interface StatementTiming {
  wall_p50: number;
  wall_p95: number;
  cpu_p50: number;
}

/**
 * Wall and CPU ms (this process: chDB runs in it) of each variant, run in turn `runs` times
 * after three warm-up rounds, so that the variants share the machine's noise.
 */
export async function timeAlternating(
  variants: Record<string, string>,
  run: (sql: string) => Promise<unknown>,
  runs: number,
): Promise<Record<string, StatementTiming>> {
  const names = Object.keys(variants);
  const wall = new Map(names.map((n) => [n, [] as number[]]));
  const cpu = new Map(names.map((n) => [n, [] as number[]]));
  for (let i = 0; i < 3; i++) for (const sql of Object.values(variants)) await run(sql);
  for (let i = 0; i < runs; i++) {
    for (const [name, sql] of Object.entries(variants)) {
      const c = process.cpuUsage();
      const t = performance.now();
      await run(sql);
      wall.get(name)!.push(performance.now() - t);
      const u = process.cpuUsage(c);
      cpu.get(name)!.push((u.user + u.system) / 1000);
    }
  }
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1]!;
  const round = (n: number) => Number(n.toFixed(1));
  return Object.fromEntries(
    names.map((n) => [
      n,
      { wall_p50: round(median(wall.get(n)!)), wall_p95: round(p95(wall.get(n)!)), cpu_p50: round(median(cpu.get(n)!)) },
    ]),
  );
}
