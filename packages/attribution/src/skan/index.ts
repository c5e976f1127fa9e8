export * from './apple-keys.ts';
export * from './conversion-schema.ts';
export * from './skan-networks.ts';
export * from './skan-postback.ts';
export * from './skan-report.ts';
export * from './skan-signature.ts';
