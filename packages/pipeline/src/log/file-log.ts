import { type FileHandle, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IngestItem } from '@unmogrowp/schema';
import { type BatchPacing, batchIntervalMs, batchPacing } from './batch-pacing.ts';
import { crc32 } from './crc32.ts';
import type { EventLog, LogRecord, RecordsHandler } from './event-log.ts';
import { encodeFramePayload } from './frame-payload.ts';
import { type LogRecoveryNotice, recoverSegment, syncDir } from './log-recovery.ts';

/**
 * The embedded EventLog: an append-only write-ahead log in `dir`, with group commit
 * (every append waiting while one flush runs shares the next write + fdatasync).
 *
 * Files: `<first seq, 20 digits>.seg` segments of frames `[u32 length][u32 crc32][payload]`
 * (the payload's formats: frame-payload.ts), and
 * `checkpoint` naming the last consumed seq. A torn tail (a crash mid-write) fails its CRC or
 * length and is cut off on open; that frame was never acknowledged. Damage anywhere else is
 * quarantined and reported, never a reason to refuse to start (log-recovery.ts).
 */
export interface FileLogOptions {
  dir: string;
  segmentBytes?: number;
  /** Most items handed to the consumer in one call. */
  maxBatchItems?: number;
  /**
   * Least time between two consumer calls while the queue holds less than a full batch: the
   * store pays a fixed cost per insert, so events are gathered into fewer, larger inserts.
   * The wait grows from this (default 200 ms) after a small batch to `maxBatchIntervalMs`
   * (default 1 s; without it, a set minimum is also the maximum) after a large one
   * (batch-pacing.ts). Bounded by the 5-second freshness promise (docs/api.md §4).
   */
  minBatchIntervalMs?: number;
  maxBatchIntervalMs?: number;
  /** Delay before re-delivering records whose handler threw. */
  retryDelayMs?: (attempt: number) => number;
  onConsumerError?: (err: unknown, attempt: number) => void;
  /** What start-up cut off or quarantined (default: a process warning). */
  onRecovery?: (notice: LogRecoveryNotice) => void;
  /** Opens a segment for appending; tests pass one whose writes fail, to inject real I/O faults. */
  openForAppend?: (file: string) => Promise<FileHandle>;
}

export class LogUnavailableError extends Error {
  override name = 'LogUnavailableError';
}

interface QueuedRecord extends LogRecord {
  bytes: number;
  appendedAt: number;
}

interface PendingWrite {
  seq: number;
  frame: Buffer;
  items: IngestItem[];
  rows: (string | undefined)[];
  resolve: (seq: number) => void;
  reject: (err: Error) => void;
}

interface Segment {
  firstSeq: number;
  lastSeq: number;
  file: string;
}

const SEGMENT_BYTES = 64 * 1024 * 1024;
const segmentName = (seq: number) => `${String(seq).padStart(20, '0')}.seg`;

export async function openFileLog(options: FileLogOptions): Promise<EventLog> {
  await mkdir(options.dir, { recursive: true });
  const notify = options.onRecovery ?? ((n: LogRecoveryNotice) => process.emitWarning(n.message));
  const checkpoint = await readCheckpoint(options.dir, notify);
  const files = (await readdir(options.dir)).filter((f) => /^\d{20}\.seg$/.test(f)).sort();
  const segments: Segment[] = [];
  const recovered: QueuedRecord[] = [];
  let lastSeq = checkpoint;
  for (const [i, file] of files.entries()) {
    const { firstSeq, frames } = await recoverSegment(options.dir, file, i === files.length - 1, notify);
    const segment: Segment = { firstSeq, lastSeq: 0, file: path.join(options.dir, file) };
    for (const frame of frames) {
      segment.lastSeq = frame.seq;
      lastSeq = Math.max(lastSeq, frame.seq);
      if (frame.seq > checkpoint) {
        recovered.push({
          seq: frame.seq,
          items: frame.items,
          rows: frame.rows,
          replayed: true,
          bytes: frame.bytes,
          appendedAt: Date.now(),
        });
      }
    }
    segments.push(segment);
  }
  const log = new FileLog(options, checkpoint, lastSeq + 1, segments, recovered);
  await log.openActiveSegment();
  await log.dropConsumedSegments();
  return log;
}

/** A missing checkpoint is a fresh log; an unreadable one replays everything (the store step filters what it holds). */
async function readCheckpoint(dir: string, notify: (n: LogRecoveryNotice) => void): Promise<number> {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'checkpoint'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  try {
    const seq = Number(JSON.parse(text).seq);
    if (Number.isSafeInteger(seq) && seq >= 0) return seq;
  } catch {}
  notify({
    kind: 'damaged',
    segment: 'checkpoint',
    keptFrames: 0,
    keptBytes: 0,
    droppedBytes: text.length,
    quarantinedAs: '',
    message: 'event log: the checkpoint file is unreadable; every record still in the log is replayed (what is already stored is skipped)',
  });
  return 0;
}

/** What a short `writev` left of `buffers`: the rest of the one it stopped in, and those after. */
function unwritten(buffers: Buffer[], bytesWritten: number): Buffer[] {
  let skip = bytesWritten;
  let i = 0;
  while (skip >= buffers[i]!.length) skip -= buffers[i++]!.length;
  return [buffers[i]!.subarray(skip), ...buffers.slice(i + 1)];
}

class FileLog implements EventLog {
  private active: FileHandle | null = null;
  private activeSize = 0;
  private pendingWrites: PendingWrite[] = [];
  private flushing: Promise<void> | null = null;
  private queue: QueuedRecord[];
  private queueBytes: number;
  private handler: RecordsHandler | null = null;
  private consuming: Promise<void> | null = null;
  private failure: string | null = null;
  private closing = false;
  private readonly stop = new AbortController();
  private readonly segmentBytes: number;
  private readonly maxBatchItems: number;
  private readonly pacing: BatchPacing;
  private lastBatch = { startedAt: 0, items: 0 };

  constructor(
    private readonly options: FileLogOptions,
    private checkpoint: number,
    private nextSeq: number,
    private readonly segments: Segment[],
    recovered: QueuedRecord[],
  ) {
    this.queue = recovered;
    this.queueBytes = recovered.reduce((n, r) => n + r.bytes, 0);
    this.segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
    this.maxBatchItems = options.maxBatchItems ?? 50_000;
    this.pacing = batchPacing(options);
  }

  async openActiveSegment(): Promise<void> {
    const last = this.segments.at(-1);
    if (last) {
      this.active = await this.openForAppend(last.file);
      this.activeSize = (await this.active.stat()).size;
      if (this.activeSize < this.segmentBytes) return;
      await this.active.close();
    }
    await this.startSegment(this.nextSeq);
  }

  append(items: readonly IngestItem[]): Promise<number> {
    if (this.closing) return Promise.reject(new LogUnavailableError('the event log is closing'));
    if (this.failure) return Promise.reject(new LogUnavailableError(this.failure));
    const seq = this.nextSeq++;
    // Encoded straight into the frame, not into a payload buffer copied after its header: this
    // runs over every byte ingested (docs/benchmarks.md, the ingest profile). The events' row
    // prefixes are kept for the store, which completes them instead of encoding again.
    const { text, rows } = encodeFramePayload(seq, items);
    const length = Buffer.byteLength(text);
    const frame = Buffer.allocUnsafe(8 + length);
    frame.write(text, 8);
    frame.writeUInt32LE(length, 0);
    frame.writeUInt32LE(crc32(frame.subarray(8)), 4);
    return new Promise((resolve, reject) => {
      this.pendingWrites.push({ seq, frame, items: items as IngestItem[], rows, resolve, reject });
      this.kickFlush();
    });
  }

  private kickFlush(): void {
    if (this.flushing || this.pendingWrites.length === 0) return;
    // Re-kick after clearing: an append may land between the loop's last check and this callback.
    this.flushing = this.flush().finally(() => {
      this.flushing = null;
      this.kickFlush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pendingWrites.length > 0) {
      const group = this.pendingWrites;
      this.pendingWrites = [];
      const bytes = group.reduce((n, w) => n + w.frame.length, 0);
      try {
        if (this.failure) throw new LogUnavailableError(this.failure);
        if (this.activeSize > 0 && this.activeSize + bytes > this.segmentBytes) await this.startSegment(group[0]!.seq);
        await this.writeDurably(
          group.map((w) => w.frame),
          bytes,
        );
      } catch (err) {
        const error =
          err instanceof LogUnavailableError ? err : new LogUnavailableError(`event log write failed: ${(err as Error).message}`);
        for (const w of group) w.reject(error);
        continue;
      }
      const now = Date.now();
      const segment = this.segments.at(-1)!;
      for (const w of group) {
        this.queue.push({ seq: w.seq, items: w.items, rows: w.rows, replayed: false, bytes: w.frame.length, appendedAt: now });
        this.queueBytes += w.frame.length;
        segment.lastSeq = w.seq;
        w.resolve(w.seq);
      }
      this.kickConsumer();
    }
  }

  /** The group's frames in one `writev` (no copy into one buffer first), then fdatasync. */
  private async writeDurably(frames: Buffer[], bytes: number): Promise<void> {
    const before = this.activeSize;
    try {
      let left = frames;
      let written = 0;
      while (written < bytes) {
        const { bytesWritten } = await this.active!.writev(left);
        written += bytesWritten;
        if (written < bytes) left = unwritten(left, bytesWritten);
      }
      await this.active!.datasync();
      this.activeSize += bytes;
    } catch (err) {
      // Cut the partial frame off, or later frames would sit behind garbage and be lost on replay.
      try {
        await this.active!.truncate(before);
      } catch {
        this.failure = `event log is damaged and cannot be written (${(err as Error).message}); restart to recover`;
      }
      throw err;
    }
  }

  private async startSegment(firstSeq: number): Promise<void> {
    // Open the new segment before letting go of the old one: when it cannot be created (a full
    // disk), the log keeps a working handle and the next append simply tries again.
    const file = path.join(this.options.dir, segmentName(firstSeq));
    const next = await this.openForAppend(file);
    try {
      await syncDir(this.options.dir);
    } catch (err) {
      await next.close();
      await unlink(file).catch(() => {});
      throw err;
    }
    await this.active?.close();
    this.active = next;
    this.activeSize = 0;
    this.segments.push({ firstSeq, lastSeq: firstSeq - 1, file });
  }

  private openForAppend(file: string): Promise<FileHandle> {
    return this.options.openForAppend?.(file) ?? open(file, 'a');
  }

  consume(handler: RecordsHandler): void {
    this.handler = handler;
    this.kickConsumer();
  }

  private kickConsumer(): void {
    if (!this.handler || this.consuming || this.queue.length === 0 || this.closing) return;
    this.consuming = this.runConsumer().finally(() => {
      this.consuming = null;
      this.kickConsumer();
    });
  }

  private async runConsumer(): Promise<void> {
    let attempt = 0;
    while (this.queue.length > 0 && !this.closing) {
      // Paced from the last call even when the queue ran dry in between: a stream slower than
      // the handler would otherwise be stored one group commit at a time.
      const wait = this.lastBatch.startedAt + batchIntervalMs(this.lastBatch.items, this.pacing) - Date.now();
      if (wait > 0 && this.queuedItems() < this.maxBatchItems) await sleep(wait, undefined, { signal: this.stop.signal }).catch(() => {});
      if (this.closing) break;
      const batch = this.nextBatch();
      this.lastBatch = { startedAt: Date.now(), items: batch.reduce((n, r) => n + r.items.length, 0) };
      try {
        await this.handler!(batch);
      } catch (err) {
        attempt++;
        // Part of the batch may be stored already: mark it so the store step filters what is there.
        for (const r of batch) r.replayed = true;
        this.options.onConsumerError?.(err, attempt);
        const delay = this.options.retryDelayMs?.(attempt) ?? Math.min(30_000, 100 * 2 ** attempt);
        await sleep(delay, undefined, { signal: this.stop.signal }).catch(() => {});
        continue;
      }
      attempt = 0;
      this.queue.splice(0, batch.length);
      this.queueBytes -= batch.reduce((n, r) => n + r.bytes, 0);
      await this.saveCheckpoint(batch.at(-1)!.seq);
    }
  }

  private queuedItems(): number {
    let n = 0;
    for (const r of this.queue) {
      n += r.items.length;
      if (n >= this.maxBatchItems) break;
    }
    return n;
  }

  private nextBatch(): QueuedRecord[] {
    let items = 0;
    let end = 0;
    while (end < this.queue.length && (end === 0 || items + this.queue[end]!.items.length <= this.maxBatchItems)) {
      items += this.queue[end]!.items.length;
      end++;
    }
    return this.queue.slice(0, end);
  }

  private async saveCheckpoint(seq: number): Promise<void> {
    this.checkpoint = seq;
    const file = path.join(this.options.dir, 'checkpoint');
    try {
      const fh = await open(`${file}.tmp`, 'w');
      try {
        await fh.writeFile(JSON.stringify({ seq }));
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await rename(`${file}.tmp`, file);
      await this.dropConsumedSegments();
    } catch (err) {
      // Not fatal: records after the older checkpoint are replayed and filtered on restart.
      this.options.onConsumerError?.(err, 0);
    }
  }

  async dropConsumedSegments(): Promise<void> {
    while (this.segments.length > 1 && this.segments[0]!.lastSeq <= this.checkpoint) {
      await unlink(this.segments.shift()!.file);
    }
  }

  pending() {
    return { records: this.queue.length, bytes: this.queueBytes, oldestAppendedAt: this.queue[0]?.appendedAt ?? null };
  }

  unavailableReason(): string | null {
    return this.failure;
  }

  unconsumed(): readonly LogRecord[] {
    return this.queue;
  }

  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (this.queue.length > 0 || this.flushing || this.consuming)) await sleep(20);
    return this.queue.length === 0;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.flushing;
    this.stop.abort();
    await this.consuming;
    await this.active?.close();
    this.active = null;
  }
}
