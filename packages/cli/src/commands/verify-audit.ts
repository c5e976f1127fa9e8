import { loadConfig } from '@unmogrowp/config';
import { lockDataDir, openControlStore, verifyAudit } from '@unmogrowp/storage';
import { type CommandHelp, configOptionsHelp } from '../command.ts';

export const verifyAuditHelp: CommandHelp = {
  summary: "check the audit trail's hash chain; exit 1 naming the first bad entry",
  get help() {
    return `usage: unmogrowp verify-audit [options]

Walks the audit trail's hash chain, like GET /api/admin/audit/verify, and prints
{ok, entries, first_bad_id?, first_bad_reason?, last_hash?} as JSON. Exit 0 when the chain holds,
1 when it does not. Keep last_hash elsewhere: it also shows entries cut from the end later.

${configOptionsHelp()}`;
  },
};

/**
 * `unmogrowp verify-audit`: walks the audit trail's hash chain, like `GET /api/admin/audit/verify`.
 * Prints `{ok, entries, first_bad_id?, first_bad_reason?, last_hash?}`; exit 0 when the chain
 * holds, 1 when it does not (for cron and CI). Write `last_hash` down somewhere else: it also
 * reveals entries cut from the end later.
 */
export async function verifyAuditCommand(_positional: string[], flags: Record<string, string>) {
  const config = loadConfig(process.env, flags);
  // On PostgreSQL the server may run meanwhile; the embedded store belongs to one process.
  const unlock = config.databaseUrl ? async () => {} : await lockDataDir(config.dataDir);
  const db = await openControlStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const result = await verifyAudit(db);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!result.ok) {
      process.stderr.write(`unmogrowp: the audit trail is broken at entry ${result.first_bad_id} (${result.first_bad_reason})\n`);
      return 1;
    }
    return 0;
  } finally {
    await db.close();
    await unlock();
  }
}
