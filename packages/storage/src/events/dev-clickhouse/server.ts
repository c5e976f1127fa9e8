import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createDeflate, createGunzip, createGzip, createInflate } from 'node:zlib';
import { toBindValues } from './bound-params.ts';
import { DevEngine } from './engine.ts';
import {
  type ClickHouseRequest,
  isReadStatement,
  isSessionStatement,
  parseClickHouseRequest,
  parseInsertStatement,
  splitFormat,
} from './http-request.ts';
import { exceptionAnswer, StandInError } from './stand-in-error.ts';

export interface DevClickHouseOptions {
  /** chDB's data directory; only one process may use it. */
  dataDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the stand-in has no authentication. */
  host?: string;
  /** chDB sessions taking inserts at once (engine.ts); default 1. */
  writers?: number;
}

export interface DevClickHouse {
  url: string;
  port: number;
  version: string;
  close(): Promise<void>;
}

/** A request body above this is refused (413): the stand-in holds bodies in memory. */
const MAX_BODY_BYTES = 512 * 1024 * 1024;
/** A server's default `http_max_uri_size` is 1 MiB; the request line and headers get that plus room. */
const MAX_HEADER_BYTES = 1024 * 1024 + 64 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  JSONEachRow: 'application/x-ndjson; charset=UTF-8',
  JSONCompactEachRow: 'application/x-ndjson; charset=UTF-8',
  JSON: 'application/json; charset=UTF-8',
  JSONCompact: 'application/json; charset=UTF-8',
  TabSeparated: 'text/tab-separated-values; charset=UTF-8',
  TSV: 'text/tab-separated-values; charset=UTF-8',
  CSV: 'text/csv; charset=UTF-8; header=absent',
};

/**
 * A ClickHouse-HTTP-compatible stand-in over chDB, for development and tests only: the official
 * `@clickhouse/client` talks real HTTP to the same engine the embedded store uses. Not for
 * production: no authentication, no replication, one process (see README.md beside this file).
 */
export async function startDevClickHouse(options: DevClickHouseOptions): Promise<DevClickHouse> {
  const engine = await DevEngine.open(options.dataDir, options.writers);
  const inFlight = new Set<Promise<void>>();
  const server: Server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const handling = handle(engine, req, res).catch((err) => {
      // A failure after the answer began: the client sees the connection cut, as from a server.
      if (!res.headersSent) sendException(res, err, engine.version);
      else res.destroy();
    });
    inFlight.add(handling);
    handling.finally(() => inFlight.delete(handling));
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (err) {
    await engine.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    version: engine.version,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.allSettled([...inFlight]);
      await engine.close();
    },
  };
}

async function handle(engine: DevEngine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  if (req.method === 'GET' && (url.pathname === '/ping' || (url.pathname === '/' && !url.searchParams.has('query')))) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
    return;
  }
  if (req.method === 'GET' && url.pathname === '/stand-in/timings') {
    // Not a ClickHouse route: the stand-in's own queueing, for benches (slot-timings.ts).
    res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify(engine.timings.snapshot()));
    if (url.searchParams.get('reset') === '1') engine.timings.clear();
    return;
  }
  if (url.pathname !== '/') throw new StandInError(0, 'UNKNOWN_HANDLER', `There is no handler ${url.pathname}`, 404);
  if (req.method !== 'POST' && req.method !== 'GET')
    throw new StandInError(0, 'UNKNOWN_HANDLER', `Method ${req.method} is not allowed`, 405);
  const body = await readBody(req);
  const request = parseClickHouseRequest(url.searchParams, body, randomUUID);
  const headers: Record<string, string> = {
    'X-ClickHouse-Query-Id': request.queryId,
    'X-ClickHouse-Timezone': 'UTC',
    'X-ClickHouse-Server-Display-Name': 'unmogrowp-dev-clickhouse',
  };
  // A read-only GET, like a server: only statements that read may come by GET.
  if (req.method === 'GET' && (request.data !== undefined || !isReadStatement(request.sql))) {
    throw new StandInError(164, 'READONLY', 'Cannot execute query in readonly mode: a GET request may only read; use POST', 400);
  }
  if (request.data !== undefined) return answerInsert(engine, request, headers, res);
  if (isSessionStatement(request.sql)) {
    // Without a session, SET and USE over HTTP change nothing beyond their own request.
    res.writeHead(200, { ...headers, 'X-ClickHouse-Summary': summary({}) }).end();
    return;
  }
  const { sql, format: named } = splitFormat(request.sql);
  const format = named ?? request.defaultFormat ?? 'TabSeparated';
  const params = toBindValues(sql, request.params);
  const context = { database: request.database, settings: request.settings };
  headers['X-ClickHouse-Format'] = format;
  headers['Content-Type'] = CONTENT_TYPES[format] ?? 'text/plain; charset=UTF-8';
  const encoding = request.compressAnswer ? pickEncoding(req.headers['accept-encoding']) : undefined;
  if (encoding) headers['Content-Encoding'] = encoding;

  if (isReadStatement(sql)) {
    const answer = await engine.query(sql, params, format, context);
    res.on('close', () => answer.cancel());
    res.writeHead(200, headers);
    await send(Readable.from(answer), encoding, res);
    return;
  }
  const answer = await engine.run(sql, params, format, context);
  headers['X-ClickHouse-Summary'] = summary({
    read_rows: answer.rowsRead,
    read_bytes: answer.bytesRead,
    elapsed_ns: answer.elapsedNs,
  });
  res.writeHead(200, headers);
  await send(Readable.from([Buffer.from(answer.bytes)]), encoding, res);
}

async function answerInsert(engine: DevEngine, request: ClickHouseRequest, headers: Record<string, string>, res: ServerResponse) {
  if (Object.keys(request.params).length > 0) {
    throw new StandInError(48, 'NOT_IMPLEMENTED', 'The stand-in takes no query parameters with insert data');
  }
  const target = parseInsertStatement(request.sql);
  const answer = await engine.insert(target, request.data as Buffer, { database: request.database, settings: request.settings });
  res
    .writeHead(200, {
      ...headers,
      'X-ClickHouse-Summary': summary({
        written_rows: answer.rowsWritten,
        written_bytes: answer.bytesWritten,
        elapsed_ns: answer.elapsedNs,
      }),
    })
    .end();
}

/** The body, decompressed when `Content-Encoding` says so (what the client sends with request compression on). */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new StandInError(0, 'TOO_LARGE', `A request body over ${MAX_BODY_BYTES} bytes`, 413);
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  const decoders: Record<string, () => NodeJS.ReadWriteStream> = {
    gzip: createGunzip,
    'x-gzip': createGunzip,
    deflate: createInflate,
    br: createBrotliDecompress,
  };
  const decoder = decoders[encoding];
  if (encoding !== '' && encoding !== 'identity' && !decoder) {
    throw new StandInError(0, 'UNKNOWN_COMPRESSION', `The stand-in cannot read Content-Encoding ${encoding}; use gzip, deflate or br`, 415);
  }
  const source = (decoder ? req.pipe(decoder()) : req) as AsyncIterable<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new StandInError(0, 'TOO_LARGE', `A request body over ${MAX_BODY_BYTES} bytes`, 413);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof StandInError) throw err;
    throw new StandInError(0, 'CANNOT_DECOMPRESS', `Cannot read the request body: ${(err as Error).message}`, 400);
  }
  return Buffer.concat(chunks);
}

function pickEncoding(accept: string | undefined): 'gzip' | 'deflate' | undefined {
  const offered = String(accept ?? '').toLowerCase();
  if (/\bgzip\b/.test(offered)) return 'gzip';
  if (/\bdeflate\b/.test(offered)) return 'deflate';
  return undefined;
}

async function send(source: Readable, encoding: 'gzip' | 'deflate' | undefined, res: ServerResponse): Promise<void> {
  if (encoding === undefined) await pipeline(source, res);
  else await pipeline(source, encoding === 'gzip' ? createGzip() : createDeflate(), res);
}

/** `X-ClickHouse-Summary`: the server's JSON, 64-bit counters as strings. */
function summary(values: Partial<Record<string, number>>): string {
  const keys = [
    'read_rows',
    'read_bytes',
    'written_rows',
    'written_bytes',
    'total_rows_to_read',
    'result_rows',
    'result_bytes',
    'elapsed_ns',
  ];
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, String(values[k] ?? 0)])));
}

function sendException(res: ServerResponse, err: unknown, version: string): void {
  const answer = exceptionAnswer(err, version);
  res
    .writeHead(answer.status, {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': String(answer.code),
    })
    .end(answer.body);
}
