import { mkdirSync } from 'node:fs';
import type { Session } from 'chdb';
import { ChdbTransport } from './chdb-transport.ts';
import type { EventStore } from './event-store.ts';
import { createTransportEventStore } from './transport-event-store.ts';

/**
 * Engine flags given at connect (they cannot be `SET` later). Quoted 64-bit integers keep
 * counts exact through JSON.parse; databases load before the first query instead of lazily.
 */
const CONNECTION_ARGS = ['--output_format_json_quote_64bit_integers=1', '--async_load_databases=0'];

/**
 * The event store on chDB, the ClickHouse engine inside this process, with its data in `dir`
 * (the sessions and their queues: `chdb-transport.ts`; the store: `transport-event-store.ts`).
 *
 * Only one process may open `dir` (the engine locks it); opening it twice fails with a sentence
 * saying so.
 */
export async function openChdbEventStore(dir: string): Promise<EventStore> {
  mkdirSync(dir, { recursive: true });
  // Loaded here, not at import: the engine maps ~170 MB of resident pages the moment it loads,
  // and a process that imports this package without opening a store should not carry them.
  const { Session } = await import('chdb');
  const sessions: Session[] = [];
  try {
    for (let i = 0; i < 3; i++) sessions.push(new Session(dir, { connectionArgs: CONNECTION_ARGS }));
  } catch (err) {
    for (const s of sessions) s.close();
    throw new Error(
      `Cannot open the event store at ${dir}: ${(err as Error).message}. ` +
        'Only one process may use a data directory: stop the other unmogrowp process using it, or give this one another DATA_DIR.',
      { cause: err },
    );
  }
  const [writer, reader, streamer] = sessions as [Session, Session, Session];
  return createTransportEventStore(new ChdbTransport(writer, reader, streamer));
}
