// Test runs name their JetStream streams unmogrowp_test_*; a run killed before its clean-up
// leaves them behind, and each reserves its max_bytes on the shared server until the server
// refuses new streams. CI starts from a clean slate: only those test streams are deleted.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const url = process.env.NATS_TEST_URL ?? 'nats://127.0.0.1:4222';
const nc = await connect({ servers: url, timeout: 3000, reconnect: false });
try {
  const jsm = await jetstreamManager(nc);
  let deleted = 0;
  for await (const name of jsm.streams.names()) {
    if (!name.startsWith('unmogrowp_test_')) continue;
    await jsm.streams.delete(name);
    deleted++;
  }
  console.log(JSON.stringify({ nats: url, test_streams_deleted: deleted }));
} finally {
  await nc.close();
}
