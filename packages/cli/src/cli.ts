import { parseArgs } from './args.ts';
import type { CliCommand } from './command.ts';
import { appCommand, appHelp } from './commands/app.ts';
import { demoCommand, demoHelp } from './commands/demo.ts';
import { devClickHouseCommand, devClickHouseHelp } from './commands/dev-clickhouse.ts';
import { migrateCommand, migrateHelp } from './commands/migrate.ts';
import { migrateDataCommand, migrateDataHelp } from './commands/migrate-data.ts';
import { startCommand, startHelp } from './commands/start.ts';
import { verifyAuditCommand, verifyAuditHelp } from './commands/verify-audit.ts';

/** Every command with its own help text (kept in its file); a new command is one line here. */
const COMMANDS: Record<string, CliCommand> = {
  start: { ...startHelp, run: startCommand },
  migrate: { ...migrateHelp, run: migrateCommand },
  'migrate-data': { ...migrateDataHelp, run: migrateDataCommand },
  app: { ...appHelp, run: appCommand },
  'verify-audit': { ...verifyAuditHelp, run: verifyAuditCommand },
  demo: { ...demoHelp, run: demoCommand },
  'dev-clickhouse': { ...devClickHouseHelp, run: devClickHouseCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: unmogrowp <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nunmogrowp <command> --help lists a command's options.`;
}

/** Where the CLI writes; a parameter so tests read what a person would see. */
export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const PROCESS_OUTPUT: CliOutput = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** Runs one command line; resolves to the exit code. */
export const COMMAND_NAMES = (): string[] => Object.keys(COMMANDS);

export async function runCli(argv: readonly string[], out: CliOutput = PROCESS_OUTPUT): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [command = '', ...rest] = positional;
  const wantsHelp = flags['--help'] !== undefined || flags['-h'] !== undefined;
  if (command === '' || command === 'help') {
    const topic = command === 'help' ? COMMANDS[rest[0] ?? ''] : undefined;
    // Asked for: stdout and exit 0; run without a command: the same text on stderr, exit 2.
    if (command === 'help' || wantsHelp) out.stdout(`${topic ? topic.help : usage()}\n`);
    else out.stderr(`${usage()}\n`);
    return command === 'help' || wantsHelp ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    out.stderr(`unmogrowp: unknown command "${command}"\n\n${usage()}\n`);
    return 2;
  }
  if (wantsHelp) {
    out.stdout(`${run.help}\n`);
    return 0;
  }
  return (await run.run(rest, flags)) ?? 0;
}
