// Compiles the CLI and every @unmogrowp package it imports into plain JavaScript in
// packages/cli/dist/, for `npm start` (bin/unmogrowp-compiled.cjs). Running the TypeScript through
// tsx costs memory for the server's whole life: tsx's module hooks run in a thread of their own
// (a second V8 isolate) and esbuild compiles in a child process; see docs/benchmarks.md
// ("Start-up memory"). Plain JavaScript (.mjs) so it runs before anything is compiled.
//
// - Third-party packages stay imports (node_modules is there at run time); only our sources are
//   bundled. Code splitting keeps lazy imports lazy (OpenTelemetry, the ClickHouse stand-in,
//   chDB and PGlite are loaded only when used).
// - `import.meta.url` in our sources names files beside them (migrations, the dashboard build,
//   the PGlite child script): it is rewritten to the source file's own URL, relative to the
//   output, so those files are read where they are.
// - The tests and `bin/unmogrowp.cjs` keep running the sources through tsx; only `npm start`
//   runs this output, and `npm start` compiles first, so it is never stale.
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = path.dirname(cliDir);
const outdir = path.join(cliDir, 'dist');

/**
 * Bare imports other than our own packages stay imports, of the file esbuild resolves from the
 * importing source (a workspace package's own node_modules is not visible from dist/), written
 * relative to the output so the tree can move.
 */
const thirdPartyExternal = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@unmogrowp/') || args.pluginData === 'resolving') return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const found = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'resolving' });
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: `./${path.relative(outdir, found.path).split(path.sep).join('/')}`, external: true };
    });
  },
};

/** Our sources' `import.meta.url`, as the URL of the source file, relative to the output directory. */
const sourceRelativeMetaUrl = {
  name: 'source-relative-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|mjs)$/ }, async (args) => {
      if (!args.path.startsWith(packagesDir) || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
      if (!source.includes('import.meta.url')) return { contents: source, loader };
      const relative = path.relative(outdir, args.path).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader };
    });
  },
};

const started = Date.now();
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: path.join(cliDir, 'src/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Resolve third-party packages as Node does: no bundler-only `module` field or condition.
  mainFields: ['main'],
  conditions: ['node'],
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [thirdPartyExternal, sourceRelativeMetaUrl],
});
process.stderr.write(`unmogrowp: compiled to ${path.relative(process.cwd(), outdir) || outdir} in ${Date.now() - started} ms\n`);
