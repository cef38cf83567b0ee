import type { Knex } from 'knex';
import type { LayerCodec } from '../../src/store/layers.js';
import { demote, geometrySelect, readGeometry } from '../../src/store/spatial-table.js';

/**
 * A stored layer as an async stream of features in key order, read a page at a time (keyset
 * pagination on the unique key), so a million components never sit in memory at once. Each call
 * starts a new pass: the shapefile and CSV writers read the layer twice (sizes first, then rows).
 */
const PAGE = 5_000;

export async function* layerFeatures<T>(db: Knex | Knex.Transaction, codec: LayerCodec<T>): AsyncGenerator<T> {
  let after: string | null = null;
  for (;;) {
    const q = db(codec.table).select(db.raw('*')).select(geometrySelect(db, '__geom')).orderBy(codec.key).limit(PAGE);
    if (after !== null) q.where(codec.key, '>', after);
    const rows: Record<string, any>[] = await q;
    for (const row of rows) yield codec.fromRow(row, demote(readGeometry(db, row.__geom)));
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1][codec.key];
  }
}
