import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { eagerScripts, weighScripts } from '../support/initial-js.ts';

// The measure the browser test reports: which scripts a page loads before anything runs.
describe('eagerScripts', () => {
  it('takes script sources and module preloads, in document order, once each', () => {
    const html = `<!doctype html><html><head>
      <link href="/_app/entry/start.js" rel="modulepreload">
      <link rel='modulepreload' href='/_app/chunks/a.js?v=1' crossorigin>
      <link href="/_app/assets/0.css" rel="stylesheet">
      <link rel="preload" href="/_app/chunks/late.js" as="script">
      <link href="/_app/entry/start.js" rel="modulepreload">
      </head><body><script src="/_app/bootstrap.js"></script><script>inline()</script>
      <SCRIPT type="module" SRC="/_app/app.mjs"></SCRIPT></body></html>`;
    expect(eagerScripts(html)).toEqual(['/_app/entry/start.js', '/_app/chunks/a.js?v=1', '/_app/bootstrap.js', '/_app/app.mjs']);
  });

  it('finds nothing in a page without scripts', () => {
    expect(eagerScripts('<html><body><link rel="stylesheet" href="/a.css"></body></html>')).toEqual([]);
  });
});

describe('weighScripts', () => {
  it('adds up the raw and gzipped sizes of what the server answers', async () => {
    const files: Record<string, string> = { '/a.js': 'const a = 1;\n'.repeat(200), '/b.js': 'export {}' };
    const server = createServer((req, res) => res.end(files[req.url ?? ''] ?? ''));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const weight = await weighScripts(base, ['/a.js', '/b.js']);
      const sizes = Object.values(files).map((f) => [Buffer.byteLength(f), gzipSync(f).length]);
      expect(weight).toEqual({
        files: 2,
        raw_bytes: sizes[0]![0]! + sizes[1]![0]!,
        gzip_bytes: sizes[0]![1]! + sizes[1]![1]!,
      });
      expect(weight.gzip_bytes).toBeLessThan(weight.raw_bytes);
    } finally {
      server.close();
    }
  });
});
