import type { RedisClient } from './redis-client.ts';

type Arg = string | number | Buffer;

export interface RedisScript {
  /** Runs with string replies. */
  run(keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
  /** Runs with binary replies (Buffers), for scripts that return packed records. */
  runBuffer(keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
}

/**
 * A Lua script sent once and then called by its SHA (ioredis's defineCommand: EVALSHA, falling
 * back to EVAL after a server restart). A script is atomic on the server: several processes
 * running it at once cannot interleave inside it.
 */
export function defineScript(client: RedisClient, name: string, lua: string): RedisScript {
  const commands = client as unknown as Record<string, (...args: Arg[]) => Promise<unknown>>;
  if (typeof commands[name] !== 'function') client.defineCommand(name, { lua });
  return {
    run: (keys, args) => commands[name]!(keys.length, ...keys, ...args),
    runBuffer: (keys, args) => commands[`${name}Buffer`]!(keys.length, ...keys, ...args),
  };
}
