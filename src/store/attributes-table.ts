import type { Knex } from 'knex';
import { isSqlite } from './spatial-table.js';

/**
 * Registers a non-spatial table in gpkg_contents (data_type 'attributes') so GDAL and QGIS list it
 * beside the layers. A no-op on PostGIS, where every table is visible anyway.
 */
export async function registerAttributesTable(db: Knex, table: string, title: string): Promise<void> {
  if (!isSqlite(db)) return;
  await db('gpkg_contents').insert({
    table_name: table, data_type: 'attributes', identifier: title, description: title,
    last_change: new Date().toISOString().replace(/\.\d+Z$/, '.000Z'),
  });
}

export async function unregisterAttributesTable(db: Knex, table: string): Promise<void> {
  if (!isSqlite(db)) return;
  await db('gpkg_contents').where({ table_name: table }).delete();
}
