import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the ad network's endpoint saw. `url` is the raw request target, exactly as sent. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A status to answer, or `hang` to answer 200 only after `ms` (longer than the sender's timeout). */
export type Reply = number | { hang: number };

/**
 * A stand-in for an ad network's postback endpoint: answers each request to a path with the next
 * scripted reply for that path (200 once the script is used up), and remembers every request.
 */
export interface PartnerServer {
  base: string;
  seen: SeenRequest[];
  script(path: string, replies: Reply[]): void;
  close(): Promise<void>;
}

export async function startPartnerServer(): Promise<PartnerServer> {
  const seen: SeenRequest[] = [];
  const scripts = new Map<string, Reply[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const path = (req.url ?? '').split('?')[0]!;
      const reply = scripts.get(path)?.shift() ?? 200;
      if (typeof reply === 'number') {
        res.writeHead(reply).end();
      } else {
        const timer = setTimeout(() => res.writeHead(200).end(), reply.hang);
        res.on('close', () => clearTimeout(timer));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    seen,
    script: (path, replies) => scripts.set(path, [...replies]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it holds (real time: the worker loop runs on real timers, only its clock is injected). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
