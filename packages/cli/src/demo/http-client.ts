import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON of many shapes, read field by field
  body: any;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** an object is sent as JSON; a string as it is */
  body?: unknown;
}

/** Retry-After we honour at most, and how often we retry a 429/503 before giving up. */
const MAX_WAIT_S = 30;
const MAX_ATTEMPTS = 20;
const TIMEOUT_MS = 60_000;

/**
 * A small keep-alive HTTP client for one base URL. Node's own http module, not fetch: the demo
 * sends tens of thousands of small requests, and a pooled agent sends them about three times
 * faster on this machine. A 429 or 503 is retried after its Retry-After (the server asks the
 * demo to slow down, it does); a refused connection is one sentence telling what to start.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly what: string,
    maxSockets = 48,
  ) {
    this.base = new URL(baseUrl);
    const Agent = this.base.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      let answer: Answer;
      try {
        answer = await this.once(method, path, options);
      } catch (err) {
        // A kept-alive socket the server closed meanwhile; every demo request is idempotent.
        const code = (err as NodeJS.ErrnoException).code;
        if ((code === 'ECONNRESET' || code === 'EPIPE') && attempt < 3) continue;
        throw this.explain(err as NodeJS.ErrnoException);
      }
      if ((answer.status !== 429 && answer.status !== 503) || attempt >= MAX_ATTEMPTS) return answer;
      const wait = Math.min(Number(answer.headers['retry-after']) || 1, MAX_WAIT_S);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private once(method: string, path: string, options: RequestOptions): Promise<Answer> {
    const url = new URL(path, this.base);
    const payload =
      options.body === undefined ? undefined : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (payload) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method, headers, agent: this.agent, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // an HTML page (the click routes' 404) or a redirect's empty body
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${this.what} within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  private explain(err: NodeJS.ErrnoException): Error {
    if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'EHOSTUNREACH') {
      return new Error(
        `cannot reach the ${this.what} at ${this.base.origin} (${err.code}); start the server first (npx unmogrowp start) or pass the right URL`,
      );
    }
    return new Error(`${this.what} at ${this.base.origin}: ${err.message}`);
  }
}

/** The error sentence of an API answer (docs/api.md §1), or its status. */
export function describeAnswer(answer: Answer): string {
  const error = answer.body?.error;
  return error?.message ? `${answer.status} ${error.code}: ${error.message}` : `HTTP ${answer.status}`;
}
