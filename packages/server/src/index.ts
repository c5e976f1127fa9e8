export * from './http/app-error.ts';
export * from './keys/app-key-resolver.ts';
export * from './platform.ts';
export * from './security/key-rate-limit.redis.ts';
export * from './security/key-rate-limit.ts';
export * from './security/login-throttle.ts';
export * from './security/rate-limiter.redis.ts';
export * from './security/rate-limiter.ts';
