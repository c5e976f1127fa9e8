import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Writes `file.br` and `file.gz` beside every text file of the build, so the API listener
 * sends them as they are (`preCompressed` in packages/server/src/web/dashboard.ts) instead of
 * compressing on each request or sending the bytes raw. Compressed once, at the highest
 * levels: brotli 11 takes ~1 s for the whole build and cuts the JS to about a third.
 * A file too small to gain is left alone (the server then sends the original).
 */
const TEXT = /\.(?:js|css|html|json|svg|txt)$/;
const MIN_BYTES = 512;

export function precompressDir(dir: string): { files: number; bytes: number; br: number; gz: number } {
  const totals = { files: 0, bytes: 0, br: 0, gz: 0 };
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, entry);
    if (!TEXT.test(entry) || !statSync(file).isFile()) continue;
    const raw = readFileSync(file);
    if (raw.length < MIN_BYTES) continue;
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    });
    const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
    // Only what is smaller than the original is worth a file.
    if (br.length < raw.length) writeFileSync(`${file}.br`, br);
    if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz);
    totals.files++;
    totals.bytes += raw.length;
    totals.br += br.length;
    totals.gz += gz.length;
  }
  return totals;
}

/** Vite plugin: runs last, after the adapter wrote `dir` and the bootstrap script was moved out. */
export function precompressPlugin(dir: string) {
  let ssr = false;
  return {
    name: 'unmogrowp-precompress',
    configResolved(config: { build: { ssr?: unknown } }) {
      ssr = Boolean(config.build.ssr);
    },
    closeBundle: {
      sequential: true,
      order: 'post' as const,
      handler() {
        if (!ssr) return;
        precompressDir(dir);
      },
    },
  };
}
