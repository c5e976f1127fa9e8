import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ChdbQueryStream, Session } from 'chdb';

/**
 * What chDB's streaming does not do for the export formats, made up for here (measured on chDB
 * 3.4: each streamed chunk is a whole document of its own, formatted apart):
 *
 * - CSVWithNames: every chunk starts with the header line again. The repeats are dropped (a
 *   data row never equals the header: every exported table has a time column, which is never
 *   its own name).
 * - Parquet: every chunk would be a separate Parquet file. The engine writes one file instead
 *   (`INSERT INTO FUNCTION file(…)`, row group by row group, memory bounded) into a scratch
 *   directory, and the file is streamed from disk and deleted. The download starts once the
 *   engine has finished writing; the server still never holds more than a chunk.
 */

/** Drops the header line that every chunk after the first repeats. */
export async function* withOneHeader(stream: ChdbQueryStream): AsyncGenerator<Uint8Array> {
  let header: Buffer | undefined;
  for await (const chunk of stream) {
    if (chunk.numBytes === 0) continue;
    const bytes = Buffer.from(chunk.raw());
    if (header === undefined) {
      const end = bytes.indexOf(10);
      header = end < 0 ? bytes : bytes.subarray(0, end + 1);
      yield bytes;
      continue;
    }
    const rest = bytes.subarray(0, header.length).equals(header) ? bytes.subarray(header.length) : bytes;
    if (rest.length > 0) yield rest;
  }
}

/** The scratch directory of Parquet exports, emptied (what a crash left) when the store opens. */
export async function prepareScratch(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const name of await readdir(dir)) await rm(path.join(dir, name), { force: true });
}

/**
 * Runs `sql` into one Parquet file in `scratch` on `session` and yields the file's bytes, then
 * deletes it (also when the consumer stops early). `isCancelled` is checked once the engine is
 * done, so a download that left meanwhile reads nothing.
 */
export async function* parquetViaFile(
  session: Session,
  sql: string,
  params: Record<string, unknown>,
  scratch: string,
  isCancelled: () => boolean,
): AsyncGenerator<Uint8Array> {
  const file = path.join(scratch, `${randomBytes(9).toString('hex')}.parquet`);
  try {
    await session.queryBindAsync(`INSERT INTO FUNCTION file({export_file:String}, 'Parquet')\n${sql}`, { ...params, export_file: file });
    if (isCancelled()) return;
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  } finally {
    await rm(file, { force: true });
  }
}
