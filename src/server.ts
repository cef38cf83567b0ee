import type { FastifyInstance } from 'fastify';
import { loadConfig, type WanmiConfig } from './config.js';
import { createApp } from './app.js';

/** Starts the service and closes it cleanly on SIGINT/SIGTERM. Only this file listens on a port. */
export async function startServer(config: WanmiConfig): Promise<FastifyInstance> {
  const app = await createApp({ config });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  return app;
}

// Run directly (`node dist/src/server.js`): start with the environment's configuration.
if (import.meta.url === `file://${process.argv[1]}`) {
  startServer(loadConfig(process.env)).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
