// Child process: Fastify's own hello-world benchmark server (a response schema, no plugins), the
// ceiling any route on this machine can reach. Reports {port} over IPC.
import Fastify from 'fastify';
import { serveChild } from './serve-child.js';

const app = Fastify({ logger: false });
app.get('/', {
  schema: { response: { 200: { type: 'object', properties: { hello: { type: 'string' } } } } },
}, (_req, reply) => {
  reply.send({ hello: 'world' });
});
await serveChild(app);
