import { createHash, type Hash } from 'node:crypto';

/**
 * The backup file: a header line, then entries (a JSON line `{"name","bytes"}` followed by that
 * many raw bytes), then a trailer line `{"end":true,"entries":n,"sha256":"…"}` whose checksum
 * covers every byte before it. Streamable both ways; a truncated or altered file fails the
 * checksum (or the framing) before anything is restored from it.
 */
export const BACKUP_MAGIC = 'UNMOGROWP-BACKUP/1\n';

export interface ArchiveEntry {
  name: string;
  bytes: Uint8Array;
}

/** Yields the file's bytes for `entries`, in order. */
export async function* writeArchive(entries: AsyncIterable<ArchiveEntry>): AsyncIterable<Uint8Array> {
  const hash = createHash('sha256');
  const out = (b: Uint8Array) => {
    hash.update(b);
    return b;
  };
  yield out(Buffer.from(BACKUP_MAGIC));
  let n = 0;
  for await (const e of entries) {
    yield out(Buffer.from(`${JSON.stringify({ name: e.name, bytes: e.bytes.byteLength })}\n`));
    yield out(e.bytes);
    n++;
  }
  yield Buffer.from(`${JSON.stringify({ end: true, entries: n, sha256: hash.digest('hex') })}\n`);
}

export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

/**
 * Reads an archive from a byte stream: yields each entry, and throws BackupFileError on bad
 * framing, a missing trailer or a checksum mismatch (after the last entry: a caller that must
 * not act on a damaged file reads it once to the end first, see verifyArchive).
 */
export async function* readArchive(source: AsyncIterable<Uint8Array>): AsyncIterable<ArchiveEntry> {
  const hash = createHash('sha256');
  const reader = new ByteReader(source);
  const magic = await reader.take(BACKUP_MAGIC.length, hash);
  if (magic?.toString() !== BACKUP_MAGIC) throw new BackupFileError('not an unmogrowp backup file (wrong header)');
  for (;;) {
    const line = await reader.line();
    if (line === null) throw new BackupFileError('the backup file is truncated (no trailer): it was not written to the end');
    let head: { name?: string; bytes?: number; end?: boolean; sha256?: string };
    try {
      head = JSON.parse(line);
    } catch {
      throw new BackupFileError('the backup file is damaged (unreadable entry header)');
    }
    if (head.end) {
      const actual = hash.digest('hex');
      if (head.sha256 !== actual) throw new BackupFileError(`the backup file is damaged: checksum ${actual} ≠ recorded ${head.sha256}`);
      return;
    }
    hash.update(`${line}\n`);
    if (typeof head.name !== 'string' || !Number.isSafeInteger(head.bytes) || head.bytes! < 0) {
      throw new BackupFileError('the backup file is damaged (bad entry header)');
    }
    const bytes = await reader.take(head.bytes!, hash);
    if (!bytes) throw new BackupFileError(`the backup file is truncated inside ${head.name}`);
    yield { name: head.name, bytes };
  }
}

/** Pulls exact byte counts and lines from a chunked stream; chunks are joined once per take (no quadratic copying). */
class ByteReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private readonly it: AsyncIterator<Uint8Array>;
  private done = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.it.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.chunks.push(chunk);
    this.length += chunk.length;
    return true;
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(n: number): Buffer {
    const all = this.joined();
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    return out;
  }

  async take(n: number, hash: Hash): Promise<Buffer | null> {
    while (this.length < n) if (!(await this.fill())) return null;
    const out = this.consume(n);
    hash.update(out);
    return out;
  }

  async line(): Promise<string | null> {
    for (let searched = 0; ; ) {
      const all = this.joined();
      const at = all.indexOf(10, searched);
      if (at >= 0)
        return this.consume(at + 1)
          .subarray(0, at)
          .toString('utf8');
      searched = all.length;
      if (all.length > 1 << 20) return null; // no header is this long
      if (!(await this.fill())) return null;
    }
  }
}
