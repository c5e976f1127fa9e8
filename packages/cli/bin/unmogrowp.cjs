#!/usr/bin/env node
// CommonJS on purpose: its first line runs before anything touches libuv's thread pool (an ES
// module entry is read through that pool already). chDB's async calls each hold a pool thread
// while they run; with the default 4, the event log's fsyncs queue behind them and every 202
// waits.
process.env.UV_THREADPOOL_SIZE ??= '16';

// The CLI runs its TypeScript sources directly through tsx: no build step between
// `npm install` and `npm start`.
(async () => {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
})();
