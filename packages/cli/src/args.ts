/** `app create --name X --json` → positional ['app','create'], flags {'--name':'X','--json':'true'}. */
export function parseArgs(argv: readonly string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags[arg.slice(0, eq)] = arg.slice(eq + 1);
    } else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) {
      flags[arg] = argv[++i]!;
    } else {
      flags[arg] = 'true';
    }
  }
  return { positional, flags };
}

/** Removes and returns a command's own flags, leaving configuration flags for loadConfig. */
export function takeFlags(flags: Record<string, string>, names: readonly string[]): Record<string, string | undefined> {
  const taken: Record<string, string | undefined> = {};
  for (const name of names) {
    taken[name] = flags[name];
    delete flags[name];
  }
  return taken;
}
