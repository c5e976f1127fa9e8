/**
 * Where a scale-out batch's time goes, for bench/scale-out's lag phase (STAGES=1): the worker's
 * `unmogrowp_worker_batch_stage_seconds` / `unmogrowp_worker_batch_items` histograms (the
 * difference between two scrapes, so only the phase counts) and the ClickHouse stand-in's
 * `GET /stand-in/timings` (session wait vs execution per kind of statement).
 */

interface Histogram {
  count: number;
  sum: number;
  /** Cumulative counts by upper bound. */
  buckets: [number, number][];
}

type Histograms = Map<string, Histogram>;

/** The two worker histograms from one /metrics scrape, keyed `stage:<stage>` and `items`. */
export async function scrapeWorkerStages(metricsUrl: string): Promise<Histograms> {
  const text = await (await fetch(metricsUrl)).text();
  const out: Histograms = new Map();
  const of = (key: string) => {
    let h = out.get(key);
    if (!h) {
      h = { count: 0, sum: 0, buckets: [] };
      out.set(key, h);
    }
    return h;
  };
  for (const line of text.split('\n')) {
    const m = /^unmogrowp_worker_batch_(stage_seconds|items)_(bucket|sum|count)\{?([^}]*)\}? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[3]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    const h = of(m[1] === 'items' ? 'items' : `stage:${labels.stage}`);
    const value = Number(m[4]);
    if (m[2] === 'sum') h.sum = value;
    else if (m[2] === 'count') h.count = value;
    else h.buckets.push([labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le), value]);
  }
  return out;
}

/**
 * Per histogram, what happened between the two scrapes: count, mean and the bucket bounds
 * holding p50 and p99 (seconds shown as ms; items as items).
 */
export function stageFigures(
  before: Histograms,
  after: Histograms,
): Record<string, { n: number; mean: number; p50_le: number; p99_le: number }> {
  const out: Record<string, { n: number; mean: number; p50_le: number; p99_le: number }> = {};
  for (const [key, h] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
    const b = before.get(key);
    const n = h.count - (b?.count ?? 0);
    if (n <= 0) continue;
    const scale = key === 'items' ? 1 : 1000;
    const sum = h.sum - (b?.sum ?? 0);
    const cumulative = h.buckets.map(([le, c], i) => [le, c - (b?.buckets[i]?.[1] ?? 0)] as const);
    const bound = (p: number) => {
      const hit = cumulative.find(([, c]) => c >= (p / 100) * n);
      return hit ? hit[0] * scale : Number.POSITIVE_INFINITY;
    };
    out[key] = { n, mean: Math.round((sum / n) * scale * 10) / 10, p50_le: bound(50), p99_le: bound(99) };
  }
  return out;
}

/** The stand-in's figures since its last reset; `reset` starts them over after answering. */
export async function standInTimings(baseUrl: string, reset = false): Promise<unknown> {
  return (await fetch(`${baseUrl}/stand-in/timings${reset ? '?reset=1' : ''}`)).json();
}
