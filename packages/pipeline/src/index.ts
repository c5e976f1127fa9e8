export * from './dedupe/dedupe-index.ts';
export * from './dedupe/memory-dedupe.ts';
export * from './log/event-log.ts';
export * from './log/file-log.ts';
export * from './steps/store-items.ts';
export * from './warm-dedupe.ts';
