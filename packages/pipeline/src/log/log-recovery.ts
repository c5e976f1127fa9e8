import { copyFile, link, mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { type Frame, readSegment } from './segment-reader.ts';

/** What start-up did to a segment that did not end on a whole frame. */
export interface LogRecoveryNotice {
  /** `torn_tail`: the newest segment ended mid-frame (a crash mid-write: never acknowledged). `damaged`: an older segment is corrupt. */
  kind: 'torn_tail' | 'damaged';
  segment: string;
  keptFrames: number;
  keptBytes: number;
  droppedBytes: number;
  /** where the original bytes were kept for inspection */
  quarantinedAs: string;
  message: string;
}

export interface RecoveredSegment {
  firstSeq: number;
  frames: Frame[];
}

/**
 * Reads one segment on start and repairs it so the log can go on, whatever is in it: the
 * segment is cut back to its last whole frame, and the dropped bytes are kept in
 * `quarantine/` first (nothing is thrown away unseen). Cutting an older segment loses what
 * stood behind the damage in it, so that case is reported as `damaged`, with the copy of the
 * whole original kept; the segments after it are replayed as usual. Never throws on content:
 * a log that cannot be read must not become a crash loop.
 */
export async function recoverSegment(
  dir: string,
  file: string,
  isNewest: boolean,
  notify: (notice: LogRecoveryNotice) => void,
): Promise<RecoveredSegment> {
  const full = path.join(dir, file);
  const buf = await readFile(full);
  const { frames, validBytes, totalBytes } = readSegment(buf);
  const firstSeq = Number(file.slice(0, 20));
  if (validBytes === totalBytes) return { firstSeq, frames };
  const quarantine = path.join(dir, 'quarantine');
  await mkdir(quarantine, { recursive: true });
  const kind = isNewest ? 'torn_tail' : 'damaged';
  const quarantinedAs = path.join(quarantine, `${file}.${Date.now()}.${kind === 'torn_tail' ? 'tail' : 'original'}`);
  if (kind === 'torn_tail') await writeDurably(quarantinedAs, buf.subarray(validBytes));
  else await link(full, quarantinedAs).catch(() => copyFile(full, quarantinedAs));
  // Write the kept prefix beside the segment and rename it over: a crash here leaves either file whole.
  await writeDurably(`${full}.tmp`, buf.subarray(0, validBytes));
  await rename(`${full}.tmp`, full);
  await syncDir(dir);
  const droppedBytes = totalBytes - validBytes;
  notify({
    kind,
    segment: file,
    keptFrames: frames.length,
    keptBytes: validBytes,
    droppedBytes,
    quarantinedAs,
    message:
      kind === 'torn_tail'
        ? `event log: the newest segment ${file} ended in ${droppedBytes} bytes of an unfinished write (never acknowledged); cut back to ${frames.length} whole records, the bytes kept in ${quarantinedAs}`
        : `event log: segment ${file} is corrupt at byte ${validBytes}; its first ${frames.length} records are replayed, the ${droppedBytes} bytes from there on are NOT (the original is kept in ${quarantinedAs} for inspection); later segments are replayed`,
  });
  return { firstSeq, frames };
}

async function writeDurably(file: string, data: Buffer): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
