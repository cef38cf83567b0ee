import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.js';
import type { WanmiConfig, StoreConfig } from '../../src/config.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { writeCity, type CityData } from '../../src/store/city-writer.js';
import { buildDemoCityData } from '../../src/service/demo-city.js';
import type { ClassEntry } from '../../src/domain/types.js';
import type { TestStore } from './stores.js';

/** A test configuration: quiet, no demo seeding, no background refresh. */
export function testConfig(store: StoreConfig, overrides: Partial<WanmiConfig> = {}): WanmiConfig {
  return {
    port: 0, host: '127.0.0.1', store, logLevel: 'silent', demo: false, corsOrigin: '*', refreshSeconds: 0,
    tileCacheBytes: 16 * 1024 * 1024, tileCacheControl: 'public, max-age=60', ...overrides,
  };
}

let demoCache = new Map<number, { city: CityData; classes: ClassEntry[] }>();

/** The demo city at a given scale, generated once per test process. */
export function demoCity(scale = 0.05): { city: CityData; classes: ClassEntry[] } {
  let d = demoCache.get(scale);
  if (!d) demoCache.set(scale, (d = buildDemoCityData({ scale })));
  return d;
}

/** Opens the test store, writes the demo city at `scale` into it and builds the app over it. */
export async function demoApp(
  testStore: TestStore, scale = 0.05, overrides: Partial<WanmiConfig> = {},
): Promise<{ app: FastifyInstance; store: Store; city: CityData; close(): Promise<void> }> {
  const store = await openStore(testStore.config);
  const { city, classes } = demoCity(scale);
  await writeCity(store.db, city, classes);
  const app = await createApp({ config: testConfig(testStore.config, overrides), store });
  return {
    app, store, city,
    close: async () => {
      await app.close();
      await store.close();
      await testStore.cleanup();
    },
  };
}
