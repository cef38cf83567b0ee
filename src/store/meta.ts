import type { Knex } from 'knex';

/**
 * The data version: a counter bumped in the same transaction as every write to the store. Replicas
 * sharing one PostGIS database compare it to know when to rebuild their index.
 *
 * Each spatial layer also has a layer version: the data version of the last write that changed that
 * layer. Tiles key their cache and URLs on it, so re-importing components leaves every cached grid tile
 * valid. A write that does not say which layers it changed counts as changing all of them (safe default).
 */
export const VERSIONED_LAYERS = ['admin_areas', 'grids', 'components', 'addresses', 'roads', 'zones'] as const;
export type VersionedLayer = (typeof VERSIONED_LAYERS)[number];
export type LayerVersions = Readonly<Record<VersionedLayer, number>>;

/** The layers a write changed: a list (possibly empty, e.g. the class dictionary), or all of them. */
export type ChangedLayers = readonly string[] | 'all';

const layerKey = (layer: string) => `layer_version:${layer}`;

export async function readDataVersion(db: Knex | Knex.Transaction): Promise<number> {
  const row = await db('wanmi_meta').where({ key: 'data_version' }).first('value');
  return Number(row?.value ?? 0);
}

/** Moves the data version, and the layer version of every layer in `changed` to the new data version. */
export async function bumpDataVersion(db: Knex | Knex.Transaction, changed: ChangedLayers = 'all'): Promise<number> {
  const layers = changed === 'all' ? VERSIONED_LAYERS : changed;
  for (const layer of layers) {
    if (!isVersionedLayer(layer)) throw new Error(`no versioned layer ${layer} (known: ${VERSIONED_LAYERS.join(', ')})`);
  }
  const next = (await readDataVersion(db)) + 1;
  await db('wanmi_meta').where({ key: 'data_version' }).update({ value: String(next) });
  for (const layer of new Set(layers)) await writeMeta(db, layerKey(layer), String(next));
  return next;
}

/** Every layer's version; a layer never written since migration 005 has the version it was given there. */
export async function readLayerVersions(db: Knex | Knex.Transaction): Promise<LayerVersions> {
  const rows: Array<{ key: string; value: string }> = await db('wanmi_meta').whereIn('key', VERSIONED_LAYERS.map(layerKey)).select('key', 'value');
  const byKey = new Map(rows.map((r) => [r.key, Number(r.value)]));
  const out = {} as Record<VersionedLayer, number>;
  for (const layer of VERSIONED_LAYERS) out[layer] = byKey.get(layerKey(layer)) ?? 0;
  return out;
}

export function isVersionedLayer(layer: string): layer is VersionedLayer {
  return (VERSIONED_LAYERS as readonly string[]).includes(layer);
}

export async function readMeta(db: Knex | Knex.Transaction, key: string): Promise<string | undefined> {
  const row = await db('wanmi_meta').where({ key }).first('value');
  return row?.value;
}

export async function writeMeta(db: Knex | Knex.Transaction, key: string, value: string): Promise<void> {
  const updated = await db('wanmi_meta').where({ key }).update({ value });
  if (!updated) await db('wanmi_meta').insert({ key, value });
}
