import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

/** Debian's `prometheus` package ships both binaries; CI installs it (.ci/run). */
function which(binary: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export const PROMTOOL = which('promtool');
export const PROMETHEUS = which('prometheus');

/**
 * `describe` for a suite that needs a Prometheus binary: runs when it is installed; otherwise a
 * visibly skipped suite, or a failing test under REQUIRE_SERVICES=1 (CI must have it).
 */
export function describeWithBinary(title: string, binary: string | null, name: string, body: () => void): void {
  if (binary) return void describe(title, body);
  const reason = `${name} is not installed (apt-get install prometheus)`;
  if (process.env.REQUIRE_SERVICES === '1') {
    describe(title, () => {
      it(`needs ${name} (REQUIRE_SERVICES=1)`, () => {
        throw new Error(reason);
      });
    });
    return;
  }
  console.warn(`[skip] ${title}: ${reason}`);
  // Skipped only when the server is absent and REQUIRE_SERVICES is not 1 (CI sets it, so there it fails instead).
  describe.skip(`${title} — skipped: ${reason}`, body);
}
