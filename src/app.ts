import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { WanmiConfig } from './config.js';
import { openStore, type Store } from './store/connect.js';
import { LiveIndex } from './index/city-index.js';
import { ErrorSchema } from './routes/schemas.js';
import { installErrorHandling } from './routes/error-handler.js';
import { healthRoutes } from './routes/health.js';
import { lookupRoutes } from './routes/lookup.js';
import { ownershipRoutes } from './routes/ownership.js';
import { componentRoutes } from './routes/components.js';
import { gridRoutes } from './routes/grids.js';
import { batchRoutes } from './routes/batch.js';
import { tileRoutes } from './routes/tiles.js';
import { mapPageRoutes } from './routes/map-page.js';
import { geocodeRoutes } from './routes/geocode.js';
import { reverseRoutes } from './routes/reverse.js';
import { TileCache } from '../tiles/index.js';
import { startIndexRefresh } from './service/refresh.js';
import { seedDemoIfEmpty } from './service/seed-demo.js';
import { WANMI_VERSION } from './version.js';
import { importSettings } from './config.js';
import { authPlugin, loadKeyRing, openApiSecurity } from './auth/index.js';
import { ImportJobs } from './service/import-jobs.js';
import { importRoutes } from './routes/imports.js';

/** What every route can reach: the configuration, the store and the live index. */
export interface WanmiContext {
  config: WanmiConfig;
  store: Store;
  index: LiveIndex;
  version: string;
  /** Rebuilds the index now if the store's data version moved (after a write through this process). */
  refreshIndex(): Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    wanmi: WanmiContext;
  }
}

export interface WanmiAppOptions {
  config: WanmiConfig;
  /** An already-open store (tests); otherwise the plugin opens the configured one and closes it on shutdown. */
  store?: Store;
}

/**
 * The Wanmi service as a Fastify plugin. Boot order: open the store (migrations run) → seed the demo
 * city if asked and the store is empty → build the index → register routes. The server starts
 * listening only after the plugin is ready, so no request ever meets a missing index.
 */
const wanmiPlugin: FastifyPluginAsync<WanmiAppOptions> = async (app, opts) => {
  const { config } = opts;
  const store = opts.store ?? (await openStore(config.store));
  if (!opts.store) app.addHook('onClose', async () => store.close());
  const index = new LiveIndex();
  if (config.demo) await seedDemoIfEmpty(store, app.log);
  const tileCache = config.tileCacheBytes > 0 ? new TileCache({ maxBytes: config.tileCacheBytes }) : null;
  const refresh = await startIndexRefresh(store, index, app.log, config.refreshSeconds, tileCache);
  app.addHook('onClose', async () => refresh.stop());
  app.decorate('wanmi', { config, store, index, version: WANMI_VERSION, refreshIndex: refresh.refreshNow });
  // API keys are read once at boot; a bad keys file stops the boot naming the file and line.
  const keyRing = await loadKeyRing(config.auth);
  if (keyRing.size === 0) app.log.warn('no API keys configured (WANMI_API_KEYS_FILE, WANMI_API_KEYS): every write is refused');
  const imports = importSettings(config);
  const importJobs = new ImportJobs({
    store: config.store, db: store.db, settings: imports, log: app.log,
    refreshIndex: refresh.refreshNow, indexVersion: () => index.current.dataVersion,
  });
  await importJobs.start();
  app.addHook('onClose', async () => importJobs.close());

  await app.register(cors, { origin: corsOrigin(config.corsOrigin), methods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'] });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      ...openApiSecurity(config.auth?.readAuth ?? false),
      info: {
        title: 'Wanmi',
        version: WANMI_VERSION,
        description: 'Spatial data platform and geocoding for digital city management (数字城管). Coordinates are CGCS2000 (EPSG:4490) lon/lat unless a response says otherwise.',
      },
      tags: [
        { name: 'lookup', description: 'Point → grid, admin areas and zones' },
        { name: 'ownership', description: 'Who must handle a problem at a point (先属主后属地 / 先属地后属主)' },
        { name: 'components', description: 'Management components (部件)' },
        { name: 'grids', description: 'Unit grids (单元网格)' },
        { name: 'geocoding', description: 'Chinese address → point and point → address (地理编码)' },
        { name: 'batch', description: 'Batch forms of the lookups' },
        { name: 'tiles', description: 'Mapbox Vector Tiles, TileJSON, MapLibre style' },
        { name: 'imports', description: 'Census data uploads (needs an API key with the importer role)' },
        { name: 'service', description: 'Health and metadata' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.addSchema(ErrorSchema);
  installErrorHandling(app);
  await app.register(authPlugin, { ring: keyRing, readAuth: config.auth?.readAuth ?? false });

  await app.register(healthRoutes);
  await app.register(lookupRoutes);
  await app.register(ownershipRoutes);
  await app.register(componentRoutes);
  await app.register(gridRoutes);
  await app.register(batchRoutes);
  await app.register(tileRoutes);
  await app.register(geocodeRoutes);
  await app.register(reverseRoutes);
  await app.register(mapPageRoutes);
  await app.register(importRoutes, { jobs: importJobs, maxBytes: imports.maxBytes });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};

export const wanmiApp = fp(wanmiPlugin, { name: 'wanmi', fastify: '5.x' });

/** A ready-to-listen Fastify instance with the Wanmi plugin registered (used by the server and by tests). */
export async function createApp(opts: WanmiAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: opts.config.logLevel },
    // No "incoming request"/"request completed" lines: at lookup rates they cost more than the lookup.
    // Errors are still logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request either (pino's child() on every lookup measurably costs req/s): with
    // request logging off, the only request-time log line is a 5xx, which names the request id itself.
    childLoggerFactory: (logger) => logger,
    // Batch endpoints take large JSON bodies.
    bodyLimit: 64 * 1024 * 1024,
    // Boot seeds the demo city and builds the index, which can take longer than Fastify's 10 s default;
    // nothing listens before it is done, so there is no half-ready state to protect against.
    pluginTimeout: 0,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(wanmiApp, opts);
  await app.ready();
  return app;
}

/**
 * `*` is sent as the literal `Access-Control-Allow-Origin: *`, not the caller's origin echoed back:
 * reads need no credentials, and a response without `Vary: Origin` is one cache entry for every site
 * (a CDN in front of the tiles keeps one copy of a tile, not one per map page that asked for it).
 * A list echoes the matching origin and so varies by it.
 */
function corsOrigin(setting: string): '*' | false | string[] {
  if (setting === '*') return '*';
  if (setting === 'off' || setting === '') return false;
  return setting.split(',').map((s) => s.trim()).filter(Boolean);
}
