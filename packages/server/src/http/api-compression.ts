import { constants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Compression of API answers (JSON, the installs export as CSV or JSON, the raw-data export as CSV or NDJSON), negotiated by
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
/**
 * The plugin's own list (text, JSON, XML, octet-stream) plus NDJSON (the raw-data export), which
 * compresses as well as JSON. Parquet (`application/vnd.apache.parquet`) is not on it: its pages
 * are already Snappy-compressed, and a second pass would cost CPU for nothing.
 */
const COMPRESSIBLE =
  /^text\/(?!event-stream)|(?:\+|\/)json(?:;|$)|(?:\+|\/)text(?:;|$)|(?:\+|\/)xml(?:;|$)|octet-stream(?:;|$)|\/x-ndjson(?:;|$)/u;
const BROTLI_QUALITY = 4;

export async function apiCompression(scope: FastifyInstance) {
  await scope.register(fastifyCompress, {
    threshold: THRESHOLD_BYTES,
    customTypes: COMPRESSIBLE,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
    globalDecompression: false,
  });
}
