import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type BetterSqlite3 from 'better-sqlite3';
import type { StoreConfig } from '../config.js';
import { registerGpkgFunctions } from './gpkg.js';
import { migrationSource } from './migrations/index.js';

/** The store: one knex instance over a GeoPackage file or a PostGIS database. */
export interface Store {
  readonly kind: StoreConfig['kind'];
  readonly db: Knex;
  /** Human-readable location (file path, or database URL without the password). */
  readonly location: string;
  close(): Promise<void>;
}

/**
 * Opens the store and brings its schema up to date (migrations are idempotent).
 * GeoPackage: one better-sqlite3 connection in WAL mode, with the SQL functions the GeoPackage R-tree
 * triggers need. PostGIS: a pg pool; `schema`, when given, is created and put first on the search path
 * (tests use one schema each).
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  const db = config.kind === 'geopackage' ? openGeoPackage(config.file) : await openPostgis(config.url, config.schema);
  await db.migrate.latest({ migrationSource });
  const location = config.kind === 'geopackage' ? path.resolve(config.file) : redactUrl(config.url);
  return { kind: config.kind, db, location, close: () => db.destroy() };
}

function openGeoPackage(file: string): Knex {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    // SQLite has one writer; one connection keeps knex transactions simple and correct.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: BetterSqlite3.Database, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        registerGpkgFunctions(conn);
        done(null, conn);
      },
    },
  });
}

async function openPostgis(url: string, schema?: string): Promise<Knex> {
  const db = knexFactory({
    client: 'pg',
    connection: url,
    searchPath: schema ? [schema, 'public'] : undefined,
    pool: { min: 0, max: 8 },
  });
  await db.raw('CREATE EXTENSION IF NOT EXISTS postgis');
  if (schema) await db.raw('CREATE SCHEMA IF NOT EXISTS ??', [schema]);
  return db;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgresql://(unparseable URL)';
  }
}
