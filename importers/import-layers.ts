import { layerCodecs, type LayerCodec } from '../src/store/layers.js';
import type { Geometry } from '../src/domain/types.js';
import type { MappableLayer } from './field-aliases.js';
import type { MappedRowValue } from './layer-rows.js';
import { m2PerDeg2, polygonArea, bboxOf, type Polygonal } from './planar.js';

/**
 * The layers an import can write, by their CLI names, with the field-mapping layer and the store codec
 * of each, and how a validated row becomes a stored feature.
 */
export const IMPORT_LAYERS = {
  grids: { mappable: 'grids', codec: layerCodecs.grids },
  components: { mappable: 'components', codec: layerCodecs.components },
  addresses: { mappable: 'addresses', codec: layerCodecs.addresses },
  roads: { mappable: 'roads', codec: layerCodecs.roads },
  admin: { mappable: 'admin_areas', codec: layerCodecs.adminAreas },
  zones: { mappable: 'zones', codec: layerCodecs.zones },
} as const satisfies Record<string, { mappable: MappableLayer; codec: { table: string } }>;

export type ImportLayerName = keyof typeof IMPORT_LAYERS;

export type StoredFeature = { geometry: Geometry } & Record<string, unknown>;

export interface ImportLayer {
  name: ImportLayerName;
  mappable: MappableLayer;
  codec: LayerCodec<StoredFeature>;
}

/** 'admin' and its table name 'admin_areas' both name the admin layer. */
export function resolveImportLayer(name: string): ImportLayer | null {
  const key = (name === 'admin_areas' ? 'admin' : name) as ImportLayerName;
  const entry = IMPORT_LAYERS[key];
  return entry ? { name: key, mappable: entry.mappable, codec: entry.codec as unknown as LayerCodec<StoredFeature> } : null;
}

/** A validated row as the store keeps it: a grid delivered without an area gets its area from its shape. */
export function toFeature(layer: MappableLayer, value: MappedRowValue<MappableLayer>): StoredFeature {
  const f = value as unknown as StoredFeature;
  if (layer === 'grids' && !((f.areaM2 as number) > 0)) {
    const g = f.geometry as Polygonal;
    const b = bboxOf(g);
    return { ...f, areaM2: Math.round(polygonArea(g) * m2PerDeg2((b[1] + b[3]) / 2) * 10) / 10 };
  }
  return f;
}

/**
 * The survey area a feature belongs to, for `retireMissing` in update mode: a delivery that re-surveys
 * some communities (grids, addresses), some classes in a county (components), a district's roads…
 * retires the stored features of those areas that it no longer lists, and leaves other areas alone.
 */
export function scopeOf(layer: MappableLayer, f: Record<string, unknown>): string {
  switch (layer) {
    case 'grids': return String(f.communityCode);
    case 'components': return `${String(f.id).slice(0, 6)}:${String(f.major)}${String(f.minor)}`;
    case 'addresses': return String(f.communityCode);
    case 'roads': return String(f.districtCode);
    case 'admin_areas': return String(f.parentCode ?? f.code);
    case 'zones': return String(f.kind);
  }
}
