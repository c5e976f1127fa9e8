export * from './config.ts';
export * from './role-services.ts';
