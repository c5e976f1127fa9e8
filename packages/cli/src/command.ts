import { CONFIG_VARIABLES } from '@unmogrowp/config';

/**
 * A CLI command: its code and its own help text, side by side in its file, so a new command
 * brings its help with it. `help` is printed on stdout by `unmogrowp <command> --help` and must
 * name every option the command takes.
 */
export interface CommandHelp {
  /** one line for the command list of `unmogrowp --help` */
  summary: string;
  /** the full text of `unmogrowp <command> --help`: usage, every option with its default, examples */
  help: string;
}

export interface CliCommand extends CommandHelp {
  run: (positional: string[], flags: Record<string, string>) => Promise<number | undefined> | Promise<void>;
}

/** `INGEST_PORT` → `--ingest-port` (the inverse of config's `flagToEnv`). */
export function envToFlag(variable: string): string {
  return `--${variable.toLowerCase().replace(/_/g, '-')}`;
}

/**
 * The configuration options every server-side command accepts (as --flag or environment
 * variable), listed from the one config object so a new variable shows up here by itself.
 */
export function configOptionsHelp(): string {
  const rows = CONFIG_VARIABLES.map((v) => `  ${envToFlag(v).padEnd(34)} ${v}`);
  return `Configuration (flag or environment variable; the README's "Configuration" section gives defaults and meaning):\n${rows.join('\n')}`;
}
