/**
 * How long the stand-in's statements waited for their chDB session and how long they held it,
 * by kind (`insert:<table>`, `query:<first table read>`, `run`), from the last few thousand
 * of each. Served at `GET /stand-in/timings` (`?reset=1` starts over after answering; not a ClickHouse route) so a bench can tell
 * queueing from execution (docs/scale-out.md, "End-to-end lag").
 */
export class SlotTimings {
  readonly #kinds = new Map<string, { count: number; wait: number[]; exec: number[] }>();

  constructor(private readonly keep = 4000) {}

  record(kind: string, waitMs: number, execMs: number): void {
    let k = this.#kinds.get(kind);
    if (!k) {
      k = { count: 0, wait: [], exec: [] };
      this.#kinds.set(kind, k);
    }
    k.count++;
    if (k.wait.length >= this.keep) {
      k.wait.shift();
      k.exec.shift();
    }
    k.wait.push(waitMs);
    k.exec.push(execMs);
  }

  clear(): void {
    this.#kinds.clear();
  }

  /** Per kind: how many, and p50/p99/max of wait and execution (ms) over the kept ones. */
  snapshot(): Record<string, { count: number; wait_ms: Spread; exec_ms: Spread }> {
    const out: Record<string, { count: number; wait_ms: Spread; exec_ms: Spread }> = {};
    for (const [kind, k] of [...this.#kinds].sort(([a], [b]) => a.localeCompare(b)))
      out[kind] = { count: k.count, wait_ms: spread(k.wait), exec_ms: spread(k.exec) };
    return out;
  }
}

export interface Spread {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0);
  const mean = s.length === 0 ? 0 : s.reduce((a, b) => a + b, 0) / s.length;
  return { p50: at(50), p99: at(99), max: Math.round(s.at(-1) ?? 0), mean: Math.round(mean * 10) / 10 };
}

/** `query:<table>` from the first `FROM <name>` of a statement (enough to tell look-ups from dashboard queries). */
export function queryKind(sql: string): string {
  const m = /\bFROM\s+([A-Za-z_][A-Za-z0-9_.]*)/i.exec(sql);
  return `query:${m ? m[1] : '?'}`;
}
