#!/usr/bin/env node
// The CLI runs its TypeScript sources directly through tsx: no build step between
// `npm install` and `npm start`.
import { register } from 'tsx/esm/api';

// chDB's async queries and inserts each hold a libuv pool thread while they run; with the
// default 4, the log's fsyncs queue behind them and every 202 waits. Must be set before the
// pool's first use.
process.env.UV_THREADPOOL_SIZE ??= '16';

register();
await import('../src/main.ts');
