import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './app-error.ts';

const gunzipAsync = promisify(gunzip);

/**
 * JSON bodies, also gzip-compressed (PostHog SDKs: `Content-Encoding: gzip` or
 * `?compression=gzip-js`) and sent as text/plain (browser SDKs avoid CORS preflights so).
 * The size limit holds for the compressed and the decompressed body alike.
 */
export function installJsonBody(app: FastifyInstance, maxBytes: number): void {
  app.removeAllContentTypeParsers();
  const parse = async (req: FastifyRequest, body: Buffer) => {
    let raw = body;
    if (isGzip(req, body)) {
      try {
        raw = await gunzipAsync(body, { maxOutputLength: maxBytes });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || (err as Error).name === 'RangeError') {
          throw new AppError(413, 'body_too_large', `The decompressed body is larger than allowed (${maxBytes / 1024} KB).`);
        }
        throw new AppError(400, 'malformed_gzip', 'The body says it is gzip-compressed but does not decompress.');
      }
    }
    if (raw.length === 0) throw new AppError(400, 'empty_body', 'The request body is empty; send a JSON document.');
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new AppError(400, 'malformed_json', `The body is not valid JSON: ${(err as Error).message}`);
    }
  };
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer', bodyLimit: maxBytes }, (req, body, done) => {
    parse(req, body as Buffer).then(
      (value) => done(null, value),
      (err) => done(err as Error, undefined),
    );
  });
}

function isGzip(req: FastifyRequest, body: Buffer): boolean {
  if (/gzip/i.test(String(req.headers['content-encoding'] ?? ''))) return true;
  const compression = (req.query as Record<string, unknown> | undefined)?.compression;
  // Trust the magic bytes too: some SDKs compress without saying so in a header.
  return (typeof compression === 'string' && compression.startsWith('gzip')) || (body[0] === 0x1f && body[1] === 0x8b);
}
