import path from 'node:path';
import { loadConfig } from '@unmogrowp/config';
import { lockDataDir, openChdbEventStore, openControlStore } from '@unmogrowp/storage';

/** Applies control-store migrations and creates event-store tables; both also run on every start. */
export async function migrateCommand(_positional: string[], flags: Record<string, string>) {
  const config = loadConfig(process.env, flags);
  const unlock = await lockDataDir(config.dataDir);
  const control = await openControlStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  await control.close();
  const events = await openChdbEventStore(path.join(config.dataDir, 'events'));
  await events.migrate();
  await events.close();
  await unlock();
  process.stdout.write('migrations applied\n');
}
