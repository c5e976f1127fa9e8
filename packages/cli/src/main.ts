import { ConfigError } from '@unmogrowp/config';
import { runCli } from './cli.ts';

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err) => {
    // One line naming the problem; the stack only helps us, not the operator.
    process.stderr.write(`unmogrowp: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
    process.exit(1);
  },
);
