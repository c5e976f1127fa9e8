// The baseline: a bare Fastify endpoint that only parses the same body and answers 202.
import Fastify from 'fastify';

const app = Fastify({ bodyLimit: 500 * 1024 });
app.get('/ready', async () => ({ ok: true }));
app.post('/v1/events/batch', async (req, reply) =>
  reply.code(202).send({ accepted: (req.body as { events: unknown[] }).events.length, duplicates: 0, rejected: [] }),
);
app.post('/v1/events', async (_req, reply) => reply.code(202).send({ accepted: 1, duplicates: 0, rejected: [] }));
app.get('/c/:id', async (_req, reply) => reply.code(302).header('location', 'https://play.google.com/store/apps/details?id=x').send());
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
