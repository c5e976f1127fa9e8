import { createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '@unmogrowp/config';
import { BACKUP_SOCKET, verifyArchive } from '@unmogrowp/server';
import { takeFlags } from '../args.ts';
import { type CommandHelp, configOptionsHelp } from '../command.ts';
import { progressBar } from './progress-bar.ts';

export const backupHelp: CommandHelp = {
  summary: 'consistent copy of a running embedded installation into one file (progress on stderr)',
  get help() {
    return `usage: unmogrowp backup --out FILE [options]

Asks the server running on DATA_DIR (through the Unix socket in that directory) for a
consistent copy of the control store, the events and the log, and writes it to FILE (mode
0600: it holds keys and personal data). The checksum is verified before FILE gets its name.
Prints {file, bytes, entries, sha256} as JSON; a progress bar goes to stderr. The embedded
stores only: with DATABASE_URL, back PostgreSQL up with pg_dump. docs/reliability.md has more.

  --out FILE                          the backup file to write (required)

Example: unmogrowp backup --out backup.umb --data-dir ./data

${configOptionsHelp()}`;
  },
};

/**
 * `unmogrowp backup --out FILE`: asks the running server (through the socket in DATA_DIR) for a
 * consistent copy, writes it to FILE (mode 0600: it holds keys and personal data), verifies the
 * checksum, and prints `{file, bytes, entries, sha256}`. A progress bar goes to stderr.
 */
export async function backupCommand(_positional: string[], flags: Record<string, string>) {
  const { '--out': out } = takeFlags(flags, ['--out']);
  if (!out || out === 'true') throw new Error('--out: give the file to write, e.g. --out backup.umb');
  const config = loadConfig(process.env, flags);
  if (config.databaseUrl) throw new Error('DATABASE_URL: backup covers the embedded stores only; back PostgreSQL up with pg_dump');
  const socketPath = path.join(config.dataDir, BACKUP_SOCKET);
  const tmp = `${out}.partial`;
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    const req = request({ socketPath, path: '/backup', method: 'GET' }, resolve);
    req.on('error', (err) =>
      reject(new Error(`no running server answers on ${socketPath} (${(err as Error).message}); start it, or check DATA_DIR`)),
    );
    req.end();
  });
  if (res.statusCode !== 200) throw new Error(`the server refused the backup (${res.statusCode}): ${await text(res)}`);
  const bar = progressBar(Number(res.headers['x-estimated-bytes']) || 0);
  res.on('data', (chunk: Buffer) => bar.add(chunk.length));
  try {
    await pipeline(res, createWriteStream(tmp, { mode: 0o600 }));
    const { entries } = await verifyArchive(tmp);
    await rename(tmp, out);
    const bytes = (await stat(out)).size;
    bar.done();
    process.stdout.write(`${JSON.stringify({ file: out, bytes, entries, sha256: await trailerSha(out) })}\n`);
    return 0;
  } catch (err) {
    bar.done();
    await unlink(tmp).catch(() => {});
    throw new Error(`backup failed: ${(err as Error).message}`);
  }
}

async function text(res: import('node:http').IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of res) s += c;
  return s.trim();
}

/** The checksum the file records in its last line. */
async function trailerSha(file: string): Promise<string> {
  const { open } = await import('node:fs/promises');
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const tail = Buffer.alloc(Math.min(256, size));
    await fh.read(tail, 0, tail.length, size - tail.length);
    const line = tail.toString('utf8').trimEnd().split('\n').at(-1)!;
    return (JSON.parse(line) as { sha256: string }).sha256;
  } finally {
    await fh.close();
  }
}
