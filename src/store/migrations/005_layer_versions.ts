import type { Knex } from 'knex';

/** The spatial layers as of this migration (frozen here: a migration must not follow later code). */
const LAYERS = ['admin_areas', 'grids', 'components', 'addresses', 'roads', 'zones'];

/**
 * Per-layer versions in `wanmi_meta` (`layer_version:<table>`), so tiles of untouched layers stay cached
 * across a write. Each starts at the current data version: the data a pre-upgrade tile URL `?v=<n>`
 * named is exactly what that layer still holds.
 */
export async function up(db: Knex): Promise<void> {
  const row = await db('wanmi_meta').where({ key: 'data_version' }).first('value');
  const version = String(row?.value ?? '0');
  await db('wanmi_meta').insert(LAYERS.map((layer) => ({ key: `layer_version:${layer}`, value: version })));
}

export async function down(db: Knex): Promise<void> {
  await db('wanmi_meta').whereIn('key', LAYERS.map((layer) => `layer_version:${layer}`)).delete();
}
