import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/connect.js';
import { isStoreEmpty, writeCity } from '../store/city-writer.js';
import { buildDemoCityData } from './demo-city.js';

/** Seeds the demo city into an empty store; a store holding any data is left alone. */
export async function seedDemoIfEmpty(store: Store, log: FastifyBaseLogger): Promise<boolean> {
  if (!(await isStoreEmpty(store.db))) return false;
  const started = performance.now();
  const { city, classes } = buildDemoCityData();
  const version = await writeCity(store.db, city, classes);
  log.info({ ms: Math.round(performance.now() - started), grids: city.grids.length, components: city.components.length, dataVersion: version }, 'demo city seeded');
  return true;
}
