/**
 * bench/chaos: N lives (default 100) of a real `unmogrowp start` under clicks, installs, events
 * and postbacks, each ended by kill -9 at a random moment (the partner answers slowly, so many
 * kills land mid-delivery), then one clean start and the checks: every acknowledged event and
 * click stored exactly once, one install decision per device, every attributed install's
 * postback recorded once and delivered at least once. Prints one JSON line.
 *   CYCLES=100 SEED=42 node --import tsx bench/chaos.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { runChaos } from '../packages/server/test/support/chaos.ts';

const cycles = Number(process.env.CYCLES ?? 100);
const seed = Number(process.env.SEED ?? Date.now() % 1e9);
const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-chaos-bench-'));
const started = Date.now();
try {
  const result = await runChaos({
    dataDir: dir,
    cycles,
    seed,
    minLoadMs: 300,
    maxLoadMs: 3000,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const { startup_ms, ...rest } = result;
  const sorted = [...startup_ms].sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'chaos',
      seed,
      ...rest,
      startup_ms_median: sorted[Math.floor(sorted.length / 2)],
      startup_ms_max: sorted.at(-1),
      seconds: Math.round((Date.now() - started) / 1000),
      loadavg_1m: loadavg()[0],
    })}\n`,
  );
  process.exitCode = result.ok ? 0 : 1;
} finally {
  // A failed run keeps its data directory for inspection.
  if (process.exitCode !== 1) await rm(dir, { recursive: true, force: true });
  else process.stderr.write(`data directory kept: ${dir}\n`);
}
