import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EventStore, EventStoreDump, SqlDb } from '@unmogrowp/storage';
import type { ArchiveEntry } from './archive.ts';

/** Top-level files of DATA_DIR that belong to the installation (keys); not the lock or the socket. */
const KEPT_FILE = /\.(pem|key|json)$/;

export interface SnapshotSources {
  dataDir: string;
  control: SqlDb;
  events: EventStore & Partial<EventStoreDump>;
  /** Holds the pipeline between two batches; resolves with the function that lets it go on. */
  pausePipeline: () => Promise<() => void>;
}

/**
 * A consistent copy of an embedded installation, entry by entry. The pipeline is paused first,
 * so the event store and the log's checkpoint stand still while they are copied: every record
 * past the checkpoint is in the copied log, every record before it in the copied tables.
 * Ingest keeps appending meanwhile; the copy of the newest segment may end mid-frame, which the
 * restored log cuts back on start (those bytes were acknowledged after the backup began).
 * The control store is PGlite's own consistent dump.
 */
export async function* snapshotEntries(src: SnapshotSources): AsyncIterable<ArchiveEntry> {
  if (src.control.kind !== 'pglite' || !src.control.dumpDataDir || !src.events.dumpTables) {
    throw new Error('backup covers the embedded stores only; back PostgreSQL up with pg_dump');
  }
  const manifest = { format: 1, created_at: new Date().toISOString(), profile: 'embedded' };
  yield { name: 'manifest.json', bytes: Buffer.from(JSON.stringify(manifest)) };
  const resume = await src.pausePipeline();
  try {
    const logDir = path.join(src.dataDir, 'log');
    const logFiles = (await readdir(logDir)).filter((f) => f === 'checkpoint' || /^\d{20}\.seg$/.test(f)).sort();
    // Paused: the checkpoint stands still and no segment is dropped; segments only grow.
    for (const f of logFiles) yield { name: `log/${f}`, bytes: await readFile(path.join(logDir, f)) };
    for await (const part of src.events.dumpTables()) yield { name: `events/${part.table}/${part.partition}.jsonl`, bytes: part.bytes };
    yield { name: 'control.tar', bytes: await src.control.dumpDataDir() };
    for (const f of await readdir(src.dataDir)) {
      if (KEPT_FILE.test(f) && (await stat(path.join(src.dataDir, f))).isFile()) {
        yield { name: `files/${f}`, bytes: await readFile(path.join(src.dataDir, f)) };
      }
    }
  } finally {
    resume();
  }
}

/** Bytes under `dir`, for the progress bar's estimate. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(full);
    else if (entry.isFile()) total += (await stat(full).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
