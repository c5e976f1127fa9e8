export * from './http/app-error.ts';
export * from './keys/app-key-resolver.ts';
export * from './ops/logger.ts';
export * from './platform.ts';
