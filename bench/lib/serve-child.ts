import type { FastifyInstance } from 'fastify';

/**
 * The life of a benchmark server child: listen on a random loopback port, report {port, …extra} to the
 * parent over IPC, and close when the parent disconnects or sends SIGTERM.
 */
export async function serveChild(app: FastifyInstance, extra: Record<string, unknown> = {}, onStop: () => Promise<void> = async () => {}): Promise<void> {
  if (!process.send) throw new Error('a benchmark server runs as a child with IPC');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send({ port: typeof address === 'object' && address ? address.port : 0, ...extra });
  const stop = async () => {
    await app.close();
    await onStop();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
}
