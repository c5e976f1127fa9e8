import { createReadStream } from 'node:fs';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type EventStore,
  type EventStoreDump,
  isDumpedTable,
  lockDataDir,
  openChdbEventStore,
  restorePgliteDataDir,
} from '@unmogrowp/storage';
import { BackupFileError, readArchive } from './archive.ts';

/** Reads the whole file once: framing and checksum. Nothing is restored from a file that fails. */
export async function verifyArchive(file: string): Promise<{ entries: number; bytes: number }> {
  let entries = 0;
  let bytes = 0;
  for await (const e of readArchive(createReadStream(file))) {
    entries++;
    bytes += e.bytes.byteLength;
  }
  return { entries, bytes };
}

/**
 * Brings an installation back from a backup file into `dataDir`, which must be empty or absent
 * (a restore never mixes with other data). The checksum is verified before anything is
 * written. Event tables are inserted through the store, so rollups fill again as they do in
 * service; the log keeps the records that were not yet stored, and they are replayed (and
 * their ids remembered by the dedupe index) when the server starts on `dataDir`.
 */
export async function restoreDataDir(file: string, dataDir: string, onEntry: (name: string, bytes: number) => void = () => {}) {
  await verifyArchive(file);
  const existing = await readdir(dataDir).catch(() => [] as string[]);
  if (existing.length > 0) throw new Error(`--data: ${dataDir} is not empty; restore into a new directory`);
  const unlock = await lockDataDir(dataDir);
  let events: (EventStore & EventStoreDump) | null = null;
  let restored = 0;
  try {
    for await (const entry of readArchive(createReadStream(file))) {
      const { name, bytes } = entry;
      if (name === 'manifest.json') {
        const manifest = JSON.parse(Buffer.from(bytes).toString('utf8')) as { format?: number };
        if (manifest.format !== 1) throw new BackupFileError(`backup format ${manifest.format} is not supported by this version`);
      } else if (/^log\/(checkpoint|\d{20}\.seg)$/.test(name)) {
        await mkdir(path.join(dataDir, 'log'), { recursive: true });
        await writeFile(path.join(dataDir, name), bytes);
      } else if (name === 'control.tar') {
        await restorePgliteDataDir(path.join(dataDir, 'control'), bytes);
      } else if (/^files\/[\w.-]+$/.test(name)) {
        const target = path.join(dataDir, path.basename(name));
        await writeFile(target, bytes, { mode: 0o600 });
        await chmod(target, 0o600);
      } else {
        const table = /^events\/(\w+)\/[\w-]+\.jsonl$/.exec(name)?.[1];
        if (!table || !isDumpedTable(table)) throw new BackupFileError(`unexpected entry ${name} in the backup file`);
        if (!events) {
          events = await openChdbEventStore(path.join(dataDir, 'events'));
          await events.migrate();
        }
        await events.loadTablePart(table, bytes);
      }
      restored++;
      onEntry(name, bytes.byteLength);
    }
  } finally {
    await events?.close();
    await unlock();
  }
  return { entries: restored };
}
