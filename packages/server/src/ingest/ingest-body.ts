import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.ts';

const gunzipAsync = promisify(gunzip);

/**
 * Ingest bodies as SDKs really send them: JSON whatever the
 * `Content-Type` says — Segment-compatible SDKs label gzip JSON `application/x-www-form-urlencoded`,
 * browser SDKs send `text/plain` (no CORS preflight) or nothing — gzip when the header, PostHog's
 * `?compression=gzip-js` flag or the magic bytes say so, and PostHog's form-encoded
 * `data=<base64 JSON>`. Only a body none of these decode is a 400. The size limit holds for the
 * compressed and the decompressed body alike. The API listener keeps strict JSON (415 otherwise).
 */
export function installIngestBody(app: FastifyInstance, maxBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (req, body, done) => {
    decodeIngestBody(req, body as Buffer, maxBytes).then(
      (value) => done(null, value),
      (err) => done(err as Error, undefined),
    );
  });
}

export async function decodeIngestBody(req: FastifyRequest, body: Buffer, maxBytes: number): Promise<unknown> {
  const raw = isGzip(req, body) ? await inflate(body, maxBytes) : body;
  const text = raw
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trim();
  if (text.length === 0) throw new AppError(400, 'empty_body', 'The request body is empty; send a JSON document.');
  if (text.startsWith('{') || text.startsWith('[')) return parseJson(text);
  const fromForm = formData(text);
  if (fromForm !== null) return decodeEmbedded(fromForm, maxBytes);
  return decodeEmbedded(text, maxBytes);
}

/** PostHog's `data=<payload>&compression=base64` form: the `data` field, else null. */
function formData(text: string): string | null {
  if (!/^[\w.%+-]+=/.test(text)) return null;
  const data = new URLSearchParams(text).get('data');
  return data === null ? null : data.trim();
}

/** A form field or body holding JSON as it is, or base64 of (possibly gzip) JSON. */
async function decodeEmbedded(value: string, maxBytes: number): Promise<unknown> {
  if (value.startsWith('{') || value.startsWith('[')) return parseJson(value);
  if (!/^[A-Za-z0-9+/=_-]+$/.test(value)) throw undecodable();
  let bytes: Buffer = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = await inflate(bytes, maxBytes);
  const decoded = bytes.toString('utf8').trim();
  if (!decoded.startsWith('{') && !decoded.startsWith('[')) throw undecodable();
  return parseJson(decoded);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(400, 'malformed_json', `The body is not valid JSON: ${(err as Error).message}`);
  }
}

function undecodable(): AppError {
  return new AppError(
    400,
    'malformed_json',
    'The body is neither JSON, gzip-compressed JSON, nor a form with data=<base64 JSON>; send one of those.',
  );
}

async function inflate(body: Buffer, maxBytes: number): Promise<Buffer> {
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || (err as Error).name === 'RangeError') {
      throw new AppError(413, 'body_too_large', `The decompressed body is larger than allowed (${maxBytes / 1024} KB).`);
    }
    throw new AppError(400, 'malformed_gzip', 'The body says it is gzip-compressed but does not decompress.');
  }
}

function isGzip(req: FastifyRequest, body: Buffer): boolean {
  if (/gzip/i.test(String(req.headers['content-encoding'] ?? ''))) return true;
  const compression = (req.query as Record<string, unknown> | undefined)?.compression;
  // Trust the magic bytes too: some SDKs compress without saying so in a header.
  return (typeof compression === 'string' && compression.startsWith('gzip')) || (body[0] === 0x1f && body[1] === 0x8b);
}
