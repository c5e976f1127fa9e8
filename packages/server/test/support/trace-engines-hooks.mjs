// Module-resolution hook of trace-engines.mjs (runs on the loader thread).
import { appendFileSync } from 'node:fs';

// Every package file, so a test can also see that the trace saw what the process did load.
const PACKAGE = /node_modules\//;
let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (PACKAGE.test(result.url)) appendFileSync(file, `import ${result.url}\n`);
  return result;
}
