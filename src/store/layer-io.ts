import type { Knex } from 'knex';
import type { LayerCodec } from './layers.js';
import { GEOM, geometryValue, geometrySelect, readGeometry, demote, isSqlite } from './spatial-table.js';
import { updateContentsExtent, dropSpatialIndex, createSpatialIndex } from './gpkg.js';

/**
 * Generic reading and writing of a layer through its codec. The caller owns the transaction:
 * pass a Knex.Transaction to make several writes all-or-nothing.
 */

/** Rows per INSERT statement: PostgreSQL allows 65,535 parameters per statement. */
const BATCH = 500;

/** Above this many rows, a GeoPackage R-tree is rebuilt once instead of updated by a trigger per row. */
const BULK = 5000;

export async function insertFeatures<T extends { geometry: unknown }>(
  db: Knex | Knex.Transaction, codec: LayerCodec<T>, items: readonly T[],
): Promise<void> {
  const bulk = isSqlite(db) && items.length >= BULK;
  if (bulk) await dropSpatialIndex(db, codec.table, GEOM);
  await insertRows(db, codec, items);
  if (bulk) await createSpatialIndex(db, codec.table, GEOM, 'fid');
  if (isSqlite(db)) await updateContentsExtent(db, codec.table);
}

async function insertRows<T extends { geometry: unknown }>(
  db: Knex | Knex.Transaction, codec: LayerCodec<T>, items: readonly T[],
): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    const rows = items.slice(i, i + BATCH).map((item) => ({
      ...codec.toRow(item),
      [GEOM]: geometryValue(db, item.geometry as never, codec.geometryType),
    }));
    await db(codec.table).insert(rows);
  }
}

/** Reads a whole layer in key order (the order the index relies on for its tie-breaks). */
export async function readFeatures<T>(db: Knex | Knex.Transaction, codec: LayerCodec<T>): Promise<T[]> {
  const rows = await db(codec.table)
    .select(db.raw('*'))
    .select(geometrySelect(db, '__geom'))
    .orderBy(codec.key);
  return rows.map((row: Record<string, any>) => codec.fromRow(row, demote(readGeometry(db, row.__geom))));
}

export async function readFeature<T>(
  db: Knex | Knex.Transaction, codec: LayerCodec<T>, key: string,
): Promise<T | undefined> {
  const row = await db(codec.table)
    .select(db.raw('*'))
    .select(geometrySelect(db, '__geom'))
    .where(codec.key, key)
    .first();
  return row ? codec.fromRow(row, demote(readGeometry(db, row.__geom))) : undefined;
}

export async function countFeatures(db: Knex | Knex.Transaction, table: string): Promise<number> {
  const row = await db(table).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export async function deleteAllFeatures(db: Knex | Knex.Transaction, table: string): Promise<void> {
  await db(table).delete();
  if (isSqlite(db)) await updateContentsExtent(db, table);
}
