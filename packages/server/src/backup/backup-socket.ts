import { chmod, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { writeArchive } from './archive.ts';
import { directoryBytes, type SnapshotSources, snapshotEntries } from './snapshot.ts';

export const BACKUP_SOCKET = 'backup.sock';

/**
 * `unmogrowp backup` talks to the running server through a Unix socket in DATA_DIR (mode 0600):
 * only who can read the data directory anyway can take a copy of it, and no network listener or
 * password is involved. `GET /backup` streams the archive, with an estimate of its size.
 */
export async function serveBackups(src: SnapshotSources, logger: Logger): Promise<() => Promise<void>> {
  const socket = path.join(src.dataDir, BACKUP_SOCKET);
  await unlink(socket).catch(() => {}); // left by a killed process; the data-dir lock says it is ours now
  let running = false;
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'GET' || req.url !== '/backup') {
      res.writeHead(404).end('GET /backup\n');
      return;
    }
    if (running) {
      res.writeHead(409).end('a backup is already running\n');
      return;
    }
    running = true;
    const started = Date.now();
    try {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-estimated-bytes': String(await directoryBytes(src.dataDir)) });
      const body = Readable.from(writeArchive(snapshotEntries(src)));
      body.on('error', (err) => {
        logger.error({ err }, 'backup failed');
        res.destroy(err);
      });
      await new Promise<void>((resolve) => {
        res.on('close', resolve);
        body.pipe(res);
      });
      logger.info({ ms: Date.now() - started, complete: res.writableFinished }, 'backup streamed');
    } finally {
      running = false;
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, resolve);
    });
    await chmod(socket, 0o600);
  } catch (err) {
    logger.warn({ err, socket }, 'backup socket not available (unmogrowp backup will not reach this server)');
    return async () => {};
  }
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections?.();
    await unlink(socket).catch(() => {});
  };
}
