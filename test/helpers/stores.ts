import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import type { StoreConfig } from '../../src/config.js';

/**
 * The stores every store-dependent test runs against: always a fresh GeoPackage file, and PostGIS when
 * WANMI_TEST_DATABASE_URL is set (CI sets it; there a missing URL is an error, never a silent skip).
 * Each PostGIS test store is its own schema, dropped afterwards.
 */
export interface TestStore {
  kind: StoreConfig['kind'];
  config: StoreConfig;
  cleanup(): Promise<void>;
}

export type TestStoreFactory = { kind: StoreConfig['kind']; make(): Promise<TestStore> };

export function testStores(): TestStoreFactory[] {
  const url = process.env.WANMI_TEST_DATABASE_URL;
  if (!url && process.env.CI) throw new Error('CI must set WANMI_TEST_DATABASE_URL so the PostGIS tests run');
  const factories: TestStoreFactory[] = [{ kind: 'geopackage', make: makeGeoPackage }];
  if (url) factories.push({ kind: 'postgis', make: () => makePostgis(url) });
  return factories;
}

async function makeGeoPackage(): Promise<TestStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-test-'));
  const file = path.join(dir, 'test.gpkg');
  return {
    kind: 'geopackage',
    config: { kind: 'geopackage', file },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function makePostgis(url: string): Promise<TestStore> {
  const schema = `wanmi_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    kind: 'postgis',
    config: { kind: 'postgis', url, schema },
    cleanup: async () => {
      const db = knexFactory({ client: 'pg', connection: url });
      try {
        await db.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]);
      } finally {
        await db.destroy();
      }
    },
  };
}
