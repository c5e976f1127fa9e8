export * from './control-tables.ts';
export * from './copy-control-data.ts';
export * from './copy-event-data.ts';
export * from './progress.ts';
