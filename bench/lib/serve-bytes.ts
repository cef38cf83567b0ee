// Child process: a control server — a bare Fastify route answering each tile URL with the very bytes
// the Wanmi app answered it with (as application/vnd.mapbox-vector-tile, 204 when empty), nothing else:
// what a cached-tile route could reach if everything but sending were free, with the same bodies.
// Usage: serve-bytes.ts <bodies.bin> — a file written by writeBodies (tile-server.ts); reports {port}.
import fs from 'node:fs';
import Fastify from 'fastify';
import { readBodies } from './tile-server.js';
import { serveChild } from './serve-child.js';

const file = process.argv[2];
if (!process.send || !file) throw new Error('serve-bytes: run as a child with IPC and <bodies.bin>');
const bodies = readBodies(fs.readFileSync(file));
const app = Fastify({ logger: false });
app.get('/*', (req, reply) => {
  const body = bodies.get(req.url);
  if (body === undefined) return reply.code(404).send();
  if (body.length === 0) return reply.code(204).send();
  return reply.type('application/vnd.mapbox-vector-tile').send(body);
});
await serveChild(app);
