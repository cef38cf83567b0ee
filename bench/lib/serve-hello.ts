// Child process: Fastify's own hello-world benchmark server (a response schema, no plugins), the
// ceiling any route on this machine can reach. Reports {port} over IPC.
import Fastify from 'fastify';

if (!process.send) throw new Error('serve-hello: run as a child with IPC');
const app = Fastify({ logger: false });
app.get('/', {
  schema: { response: { 200: { type: 'object', properties: { hello: { type: 'string' } } } } },
}, (_req, reply) => {
  reply.send({ hello: 'world' });
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send({ port: typeof address === 'object' && address ? address.port : 0 });
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
