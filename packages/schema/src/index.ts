export * from './errors.ts';
export * from './event.ts';
