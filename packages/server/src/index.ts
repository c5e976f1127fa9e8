export * from './backup/archive.ts';
export * from './backup/backup-socket.ts';
export * from './backup/restore-data-dir.ts';
export * from './http/app-error.ts';
export * from './keys/app-key-resolver.ts';
export * from './platform.ts';
