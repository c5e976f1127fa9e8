// Loaded with `node --import` into a role process: records every package file the process loads, ESM or CommonJS, into UNMOGROWP_TRACE_FILE.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const file = process.env.UNMOGROWP_TRACE_FILE;
// Every package file, so a test can also see that the trace saw what the process did load.
const PACKAGE = /node_modules\//;

register(new URL('./trace-engines-hooks.mjs', import.meta.url), { data: { file } });

const load = Module._load;
Module._load = function traced(request, parent, isMain) {
  const resolved = (() => {
    try {
      return Module._resolveFilename(request, parent, isMain);
    } catch {
      return request;
    }
  })();
  if (PACKAGE.test(resolved)) appendFileSync(file, `require ${resolved}\n`);
  return load.apply(this, arguments);
};
