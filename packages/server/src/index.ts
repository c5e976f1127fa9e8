export * from './http/app-error.ts';
export * from './keys/app-key-resolver.ts';
export * from './platform.ts';
export * from './roles/scale-out.ts';
export * from './roles/start-roles.ts';
