import type { Knex } from 'knex';
import type { LayerCodec } from '../src/store/layers.js';
import { demote, geometrySelect, isSqlite, readGeometry } from '../src/store/spatial-table.js';
import { updateContentsExtent } from '../src/store/gpkg.js';
import type { StoredFeature } from './import-layers.js';

/**
 * Reading and deleting a layer's features by key, for the importer's diff. layer-io.ts reads a whole
 * layer into one array; a million components are walked here in pages instead (keyset pagination on
 * the unique key), and only the features an import changes or retires are read whole.
 */
const PAGE = 5_000;
/** Keys per IN (…) list: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

type Db = Knex | Knex.Transaction;

function decode(db: Db, codec: LayerCodec<StoredFeature>, row: Record<string, any>): StoredFeature {
  return codec.fromRow(row, demote(readGeometry(db, row.__geom)));
}

/** Calls `fn` with every stored feature, page by page, in key order. */
export async function scanLayer(db: Db, codec: LayerCodec<StoredFeature>, fn: (f: StoredFeature) => void): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const q = db(codec.table).select(db.raw('*')).select(geometrySelect(db, '__geom')).orderBy(codec.key).limit(PAGE);
    if (after !== null) q.where(codec.key, '>', after);
    const rows: Record<string, any>[] = await q;
    for (const row of rows) fn(decode(db, codec, row));
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1][codec.key];
  }
}

export async function readByKeys(db: Db, codec: LayerCodec<StoredFeature>, keys: readonly string[]): Promise<Map<string, StoredFeature>> {
  const out = new Map<string, StoredFeature>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows: Record<string, any>[] = await db(codec.table).select(db.raw('*')).select(geometrySelect(db, '__geom')).whereIn(codec.key, keys.slice(i, i + CHUNK));
    for (const row of rows) out.set(row[codec.key], decode(db, codec, row));
  }
  return out;
}

export async function deleteByKeys(db: Db, codec: LayerCodec<StoredFeature>, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK) await db(codec.table).whereIn(codec.key, keys.slice(i, i + CHUNK)).delete();
}

/** Those of `tables` that hold no row. */
export async function emptyTables(db: Db, tables: readonly string[]): Promise<string[]> {
  const empty: string[] = [];
  for (const table of tables) if (!(await db(table).first(db.raw('1 AS one')))) empty.push(table);
  return empty;
}

/** A GeoPackage's layer extent must shrink when features go (inserts widen it themselves). */
export async function refreshExtent(db: Db, table: string): Promise<void> {
  if (isSqlite(db)) await updateContentsExtent(db, table);
}
