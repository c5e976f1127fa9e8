import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Session } from 'chdb';
import type { EngineExportFormat } from './table-export.ts';

/**
 * How chDB writes a raw-data export: into one file, by the engine, then streamed from disk.
 *
 * chDB's streaming (measured on chDB 3.4) does not fit a download: the engine runs ahead of a
 * slow reader and keeps what it made in memory (a 200 MB answer read after a 3-second pause
 * grew the process by 380 MB), and it formats every chunk as a document of its own (a header
 * per chunk in CSVWithNames, a whole Parquet file per chunk). `INSERT INTO FUNCTION file(…)`
 * instead writes one document block by block (Parquet row group by row group) with bounded
 * memory; the file is then read in 1 MiB chunks as the client takes them and deleted. The
 * download starts once the engine has finished writing; disk use is the file's size, in the
 * event store's directory (owner-only, like the data itself).
 */

const STATEMENTS: Record<EngineExportFormat, string> = {
  Parquet: `INSERT INTO FUNCTION file({export_file:String}, 'Parquet')`,
  CSVWithNames: `INSERT INTO FUNCTION file({export_file:String}, 'CSVWithNames')`,
  JSONEachRow: `INSERT INTO FUNCTION file({export_file:String}, 'JSONEachRow')`,
};

/** The scratch directory of exports, emptied (what a crash left) when the store opens. */
export async function prepareScratch(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const name of await readdir(dir)) await rm(path.join(dir, name), { force: true });
}

/**
 * Runs `sql` into one file in `scratch` on `session` and yields the file's bytes, then deletes
 * it (also when the consumer stops early). `isCancelled` is checked once the engine is done, so
 * a download that left meanwhile reads nothing.
 */
export async function* exportViaFile(
  session: Session,
  sql: string,
  params: Record<string, unknown>,
  format: EngineExportFormat,
  scratch: string,
  isCancelled: () => boolean,
): AsyncGenerator<Uint8Array> {
  const file = path.join(scratch, `${randomBytes(9).toString('hex')}.export`);
  try {
    await session.queryBindAsync(`${STATEMENTS[format]}\n${sql}`, { ...params, export_file: file });
    if (isCancelled()) return;
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  } finally {
    await rm(file, { force: true });
  }
}
