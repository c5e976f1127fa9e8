import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Session } from 'chdb';
import { importEmbeddedEngine } from '../embedded-engine.ts';
import { prepareScratch } from './chdb-export-bytes.ts';
import { ChdbTransport } from './chdb-transport.ts';
import type { EventStore } from './event-store.ts';
import type { EventStoreTransport } from './event-store-transport.ts';
import type { EventStoreDump } from './table-dump.ts';
import { createTransportEventStore } from './transport-event-store.ts';

/**
 * Engine flags given at connect (they cannot be `SET` later). Quoted 64-bit integers keep
 * counts exact through JSON.parse; databases load before the first query instead of lazily.
 */
const CONNECTION_ARGS = ['--output_format_json_quote_64bit_integers=1', '--async_load_databases=0'];
/** Exports are written here before they are sent; beside the engine's own directories, which it ignores. */
const EXPORT_SCRATCH = 'export-scratch';

/**
 * The event store on chDB, the ClickHouse engine inside this process, with its data in `dir`
 * (the sessions and their queues: `chdb-transport.ts`; the store: `transport-event-store.ts`).
 *
 * Only one process may open `dir` (the engine locks it); opening it twice fails with a sentence
 * saying so.
 */
export async function openChdbEventStore(dir: string): Promise<EventStore & EventStoreDump> {
  return createTransportEventStore(await openChdbTransport(dir));
}

/** The chDB engine on `dir` without the store around it (migrate-data reads its tables whole). */
export async function openChdbTransport(dir: string): Promise<EventStoreTransport> {
  mkdirSync(dir, { recursive: true });
  // Loaded here, not at module load: chDB is most of node_modules, and the scale-out roles,
  // which import this package too, must run without it (docs/scale-out.md, "The image").
  const { Session } = await importEmbeddedEngine(() => import('chdb'), 'chDB, the embedded event store,', 'CLICKHOUSE_URL');
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
  // Emptied only now that this process holds the directory (another may be exporting into it).
  const scratch = path.join(dir, EXPORT_SCRATCH);
  try {
    await prepareScratch(scratch);
  } catch (err) {
    for (const s of sessions) s.close();
    throw err;
  }
  // Exports open their own sessions later; the engine is up by then, so no message to dress.
  return new ChdbTransport(writer, reader, streamer, () => new Session(dir, { connectionArgs: CONNECTION_ARGS }), scratch);
}
