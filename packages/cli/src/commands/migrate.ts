import path from 'node:path';
import { loadConfig } from '@unmogrowp/config';
import { lockDataDir, openChdbEventStore, openControlStore } from '@unmogrowp/storage';
import { type CommandHelp, configOptionsHelp } from '../command.ts';

export const migrateHelp: CommandHelp = {
  summary: 'apply control-store migrations and create the event-store tables (start does this too)',
  get help() {
    return `usage: unmogrowp migrate [options]

Applies the control store's migrations (PGlite in DATA_DIR, or DATABASE_URL) and creates the
event-store tables, then exits. start does the same on every start; run this before a rolling
upgrade. Prints "migrations applied".

${configOptionsHelp()}`;
  },
};

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
