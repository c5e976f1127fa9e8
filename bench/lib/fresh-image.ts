import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Private copies of the two large files a server maps — node itself and chDB's library — whose
 * pages are in no page cache, so a process in a memory cgroup pays for every page of them it
 * touches, as it would in a container started from a fresh image. Without this, the pages are
 * already cached and charged to whichever process read them first (any other server on the
 * machine: the library is hard-linked between checkouts), and the cgroup never sees them.
 *
 * Run the copy of node with `LD_LIBRARY_PATH=libDir` (it takes precedence over the addon's
 * RUNPATH, so the addon loads the copied library). `evict()` drops the copies' cached pages
 * again before each run (nothing may still map them).
 */
export interface FreshImage {
  node: string;
  libDir: string;
  evict(): void;
  remove(): void;
}

const root = path.resolve(import.meta.dirname, '../..');

export function freshImage(): FreshImage {
  const dir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-fresh-image-'));
  const requireFromStorage = createRequire(path.join(root, 'packages/storage/package.json'));
  const chdbDir = path.dirname(requireFromStorage.resolve(`@chdb/lib-${process.platform}-${process.arch}-gnu/package.json`));
  const files = [
    { from: process.execPath, to: path.join(dir, 'node') },
    { from: path.join(chdbDir, 'libchdb.so'), to: path.join(dir, 'libchdb.so') },
  ];
  // O_DIRECT writes: the copy's pages never enter the page cache on the way.
  for (const f of files) execFileSync('dd', [`if=${f.from}`, `of=${f.to}`, 'bs=4M', 'oflag=direct', 'status=none']);
  chmodSync(files[0]!.to, 0o755);
  const evict = () => {
    // posix_fadvise(DONTNEED) over the whole file: its clean pages leave the page cache.
    for (const f of files) execFileSync('dd', [`if=${f.to}`, 'iflag=nocache', 'count=0', 'status=none']);
  };
  evict();
  return { node: files[0]!.to, libDir: dir, evict, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
