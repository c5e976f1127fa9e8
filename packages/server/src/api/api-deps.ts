import type { Config } from '@unmogrowp/config';
import type { EventStore, SqlDb } from '@unmogrowp/storage';
import type { AppKeyResolver } from '../keys/app-key-resolver.ts';
import type { SigningKeys } from '../security/signing-keys.ts';

/** What the API routes are given by the composition root (platform.ts). */
export interface ApiDeps {
  config: Config;
  control: SqlDb;
  events: EventStore;
  keys: AppKeyResolver;
  signing: SigningKeys;
}
