import type { CopyProgress } from '@unmogrowp/storage';

interface Out {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 30;
const REDRAW_MS = 100;

/**
 * Progress of a long command on stderr. On a terminal, one line per step redrawn in place
 * (`\r`, at most every 100 ms); otherwise (a pipe, a log file) plain lines: when a step starts,
 * at every further 10 %, and when it ends — nothing that needs a terminal to read.
 */
export function progressBar(out: Out = process.stderr, now: () => number = Date.now) {
  let step: string | null = null;
  let last: CopyProgress | null = null;
  let drawnAt = 0;
  let printedTenth = -1;

  const line = (p: CopyProgress) => {
    const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
    const filled = Math.round(ratio * BAR_WIDTH);
    return `${p.step.padEnd(28)} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${p.done}/${p.total}`;
  };
  const finish = () => {
    if (!last) return;
    if (out.isTTY) out.write(`\r${line(last)}\n`);
    else if (printedTenth < 10) out.write(`${line(last)} done\n`);
  };

  return {
    update(p: CopyProgress) {
      if (p.step !== step) {
        finish();
        step = p.step;
        drawnAt = 0;
        printedTenth = -1;
      }
      last = p;
      if (out.isTTY) {
        if (now() - drawnAt < REDRAW_MS && p.done < p.total) return;
        drawnAt = now();
        out.write(`\r${line(p)}`);
        return;
      }
      const tenth = p.total > 0 ? Math.floor((Math.min(p.done, p.total) / p.total) * 10) : 10;
      if (tenth > printedTenth) {
        printedTenth = tenth;
        out.write(`${line(p)}${tenth === 10 ? ' done' : ''}\n`);
      }
    },
    /** Ends the last step's line. */
    done() {
      finish();
      last = null;
      step = null;
    },
  };
}
