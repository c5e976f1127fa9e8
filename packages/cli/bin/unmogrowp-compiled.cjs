#!/usr/bin/env node
// CommonJS on purpose, as bin/unmogrowp.cjs: its first line runs before anything touches libuv's
// thread pool (chDB's async calls each hold a pool thread; the log's fsyncs must not queue
// behind them).
process.env.UV_THREADPOOL_SIZE ??= '16';

// The CLI compiled to JavaScript by scripts/compile.mjs (`npm start` compiles, then runs this):
// no tsx at run time, which saves its loader thread and compiler process for the server's life.
import('../dist/main.mjs');
