import { loadConfig } from '@unmogrowp/config';
import { PLATFORMS, type Platform } from '@unmogrowp/schema';
import { createApp, lockDataDir, openControlStore } from '@unmogrowp/storage';
import { takeFlags } from '../args.ts';
import { type CommandHelp, configOptionsHelp } from '../command.ts';

export const appHelp: CommandHelp = {
  summary: 'app create: create an app on the control store (server stopped, or running on PostgreSQL)',
  get help() {
    return `usage: unmogrowp app create --name NAME [--platforms ios,android] [--bundle-id ID] [--json] [options]

Creates an app straight on the control store and prints its id, sdk_key and server_key (the
server key is shown only now).

  --name NAME            the app's name (required)
  --platforms LIST       comma list of ios, android, web (default ios,android)
  --bundle-id ID         the store bundle or package id
  --json                 print {app, sdk_key, server_key} as one JSON line

${configOptionsHelp()}`;
  },
};

/** `unmogrowp app create`: for operators and scripts, straight on the control store. */
export async function appCommand(positional: string[], flags: Record<string, string>) {
  const [sub] = positional;
  if (sub !== 'create') {
    process.stderr.write('usage: unmogrowp app create --name NAME --platforms ios,android [--json]\n');
    return 2;
  }
  const own = takeFlags(flags, ['--name', '--platforms', '--json', '--bundle-id']);
  const name = own['--name'];
  if (!name || name === 'true') throw new Error('--name: give the app a name, e.g. --name "My App"');
  const platforms = (own['--platforms'] ?? 'ios,android').split(',').map((p) => p.trim());
  const unknown = platforms.filter((p) => !(PLATFORMS as readonly string[]).includes(p));
  if (unknown.length || platforms.length === 0)
    throw new Error(`--platforms: must be a comma list of ${PLATFORMS.join(', ')}, got "${own['--platforms']}"`);
  const config = loadConfig(process.env, flags);
  // On PostgreSQL the server may run meanwhile; the embedded store belongs to one process.
  const unlock = config.databaseUrl ? async () => {} : await lockDataDir(config.dataDir);
  const db = await openControlStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const created = await createApp(db, { name, platforms: platforms as Platform[], bundle_id: own['--bundle-id'] });
    if (own['--json']) {
      process.stdout.write(`${JSON.stringify({ app_id: created.app.id, sdk_key: created.sdk_key, server_key: created.server_key })}\n`);
    } else {
      process.stdout.write(
        `app_id      ${created.app.id}\nsdk_key     ${created.sdk_key}\nserver_key  ${created.server_key}   (shown once: store it now)\n`,
      );
    }
  } finally {
    await db.close();
    await unlock();
  }
}
