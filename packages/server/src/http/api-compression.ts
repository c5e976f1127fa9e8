import { constants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Compression of API answers (JSON, and the installs export as CSV or JSON), negotiated by
 * `Accept-Encoding` (brotli preferred, then gzip). Registered inside the `/api` scope only: the
 * ingest listener never compresses (its answers are a few bytes and its event loop is the hot
 * path), and the dashboard's files are precompressed at build time (web/dashboard.ts).
 *
 * A body under THRESHOLD_BYTES is sent as it is: a small JSON answer fits one packet either
 * way, and compressing it would cost more CPU than the bytes it saves. Brotli at quality 4
 * compresses JSON about as well as gzip 6 at a similar speed; 11 is for static files only.
 * Request bodies are not inflated (globalDecompression off): clients send small JSON or CSV.
 */
const THRESHOLD_BYTES = 1024;
const BROTLI_QUALITY = 4;

export async function apiCompression(scope: FastifyInstance) {
  await scope.register(fastifyCompress, {
    threshold: THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
    globalDecompression: false,
  });
}
