import type { Address, AdminArea, AdminLevel, Component, Grid, Road, Zone } from '../src/domain/types.js';
import { TileLayerIndex } from './layer-index.js';
import { indexedLayer } from './indexed-layer.js';
import { labelLayer, labelPoints } from './label-point.js';
import { ValueSets } from './value-sets.js';
import { buildComponentSource } from './component-source.js';
import { LayeredSource, type FieldType, type TileSource, type VectorLayerInfo } from './source.js';
import { boundsOf } from './mercator.js';
import type { TileLimits } from './budget.js';

/** The rows tiles are cut from: the same layers the CityIndex is built from, plus addresses and roads. */
export interface TileRows {
  adminAreas: readonly AdminArea[];
  grids: readonly Grid[];
  components: readonly Component[];
  addresses: readonly Address[];
  roads: readonly Road[];
  zones: readonly Zone[];
}

export interface TileSourceOptions {
  /** The version every source carries unless `versions` names its rows' own. */
  dataVersion: number;
  /**
   * The version of each set of rows (the store's layer versions): a source's cache keys and TileJSON
   * URL follow only its own rows, so a write to one layer leaves the other sources' tiles valid.
   */
  versions?: Partial<Record<keyof TileRows, number>>;
  attribution?: string;
  /** First zoom of individual components (default 16). */
  clusterZoom?: number;
  limits?: TileLimits;
}

export const DEFAULT_ATTRIBUTION = 'Wanmi · 数字城管 spatial data';

/**
 * Every tile source, built once per data version (off the request path) from plain rows: admin, grids,
 * components, addresses, roads, zones. Each projects its rows once into a TileLayerIndex and carries the
 * version of its own rows.
 */
export function buildTileSources(rows: TileRows, options: TileSourceOptions): TileSource[] {
  const common = (of: keyof TileRows): Common => ({
    dataVersion: options.versions?.[of] ?? options.dataVersion,
    attribution: options.attribution ?? DEFAULT_ATTRIBUTION, limits: options.limits,
  });
  return [
    buildAdminSource(rows.adminAreas, common('adminAreas')),
    buildGridSource(rows.grids, common('grids')),
    buildComponentSource(rows.components, { ...common('components'), clusterZoom: options.clusterZoom }),
    buildAddressSource(rows.addresses, common('addresses')),
    buildRoadSource(rows.roads, common('roads')),
    buildZoneSource(rows.zones, common('zones')),
  ];
}

type Common = { dataVersion: number; attribution: string; limits?: TileLimits };

/** A vector layer description up to the data's maxzoom (18). */
function layer(id: string, description: string, fields: Record<string, FieldType>, minzoom: number): VectorLayerInfo {
  return { id, description, fields, minzoom, maxzoom: 18 };
}

const byCode = <T extends { code: string }>(a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function buildGridSource(rows: readonly Grid[], common: Common): TileSource {
  const grids = [...rows].sort(byCode);
  const index = TileLayerIndex.build(grids.map((g) => g.geometry));
  // One set of interned attributes for both layers: the labels carry the first two keys.
  const values = ValueSets.of(grids, { code: (g) => g.code, name: (g) => g.name, community: (g) => g.communityCode });
  return new LayeredSource({
    ...common, id: 'grids', name: '单元网格', description: 'Unit grids with labels', bounds: boundsOfIndex(index),
    layers: [
      indexedLayer({
        info: layer('grids', 'Unit grid polygons', { code: 'String', name: 'String', community: 'String' }, 13),
        index, values,
      }),
      labelLayer({
        info: layer('grid_labels', 'One label point inside each grid', { code: 'String', name: 'String' }, 16),
        index, values,
      }, labelPoints(index), 2),
    ],
  });
}

function buildAddressSource(rows: readonly Address[], common: Common): TileSource {
  const addresses = [...rows].sort(byId);
  const index = TileLayerIndex.build(addresses.map((a) => a.geometry));
  const fields = { id: 'String', road: 'String', number: 'String', building: 'String' } as const;
  return new LayeredSource({
    ...common, id: 'addresses', name: '门牌地址', description: 'House-number address points', bounds: boundsOfIndex(index),
    layers: [indexedLayer({
      info: layer('addresses', 'Address points', fields, 15),
      index,
      values: ValueSets.of(addresses, { id: (a) => a.id, road: (a) => a.roadName, number: (a) => a.houseNumber, building: (a) => a.building }),
    })],
  });
}

function buildRoadSource(rows: readonly Road[], common: Common): TileSource {
  const roads = [...rows].sort(byId);
  const index = TileLayerIndex.build(roads.map((r) => r.geometry));
  return new LayeredSource({
    ...common, id: 'roads', name: '道路', description: 'Named roads', bounds: boundsOfIndex(index),
    layers: [indexedLayer({
      info: layer('roads', 'Road centre lines', { id: 'String', name: 'String', district: 'String' }, 10),
      index, values: ValueSets.of(roads, { id: (r) => r.id, name: (r) => r.name, district: (r) => r.districtCode }),
    })],
  });
}

function buildZoneSource(rows: readonly Zone[], common: Common): TileSource {
  const zones = [...rows].sort(byId);
  const index = TileLayerIndex.build(zones.map((z) => z.geometry));
  const fields = { id: 'String', name: 'String', kind: 'String', unit: 'String' } as const;
  const values = ValueSets.of(zones, { id: (z) => z.id, name: (z) => z.name, kind: (z) => z.kind, unit: (z) => z.responsibleUnit });
  return new LayeredSource({
    ...common, id: 'zones', name: '责任区', description: 'Responsibility zones (parks, development zones)',
    bounds: boundsOfIndex(index),
    layers: [
      indexedLayer({
        info: layer('zones', 'Zone polygons', fields, 10), index, values,
      }),
      labelLayer({
        info: layer('zone_labels', 'One label point inside each zone', { id: 'String', name: 'String' }, 13),
        index, values,
      }, labelPoints(index), 2),
    ],
  });
}

/** First zoom of each admin level's polygons, and of its labels. */
const ADMIN_ZOOMS: Record<AdminLevel, { polygons: number; labels: number }> = {
  district: { polygons: 8, labels: 10 },
  street: { polygons: 10, labels: 12 },
  community: { polygons: 12, labels: 14 },
};
const LEVELS: AdminLevel[] = ['district', 'street', 'community'];

/** The base map: one polygon layer per admin level and one label layer for all of them. */
function buildAdminSource(areas: readonly AdminArea[], common: Common): TileSource {
  const level = (a: AdminArea) => LEVELS.indexOf(a.level);
  const sorted = [...areas].sort((a, b) => level(a) - level(b) || byCode(a, b));
  const all = TileLayerIndex.build(sorted.map((a) => a.geometry));
  const polygonLayers = LEVELS.map((lv) => {
    const rows = sorted.filter((a) => a.level === lv);
    return indexedLayer({
      info: layer(lv, `${lv} polygons`, { code: 'String', name: 'String', parent: 'String' }, ADMIN_ZOOMS[lv].polygons),
      index: TileLayerIndex.build(rows.map((a) => a.geometry)),
      values: ValueSets.of(rows, { code: (a) => a.code, name: (a) => a.name, parent: (a) => a.parentCode }),
    });
  });
  const labelInfo = layer(
    'admin_labels', 'Label points of districts (z10+), streets (z12+), communities (z14+)',
    { code: 'String', name: 'String', level: 'String' }, 10,
  );
  return new LayeredSource({
    ...common, id: 'admin', name: '行政区划', bounds: boundsOfIndex(all),
    description: 'District, street and community boundaries and labels (the base map)',
    layers: [
      ...polygonLayers,
      labelLayer({
        info: labelInfo, index: all, minzoomOf: (i) => ADMIN_ZOOMS[sorted[i].level].labels,
        values: ValueSets.of(sorted, { code: (a) => a.code, name: (a) => a.name, level: (a) => a.level }),
      }, labelPoints(all)),
    ],
  });
}

function boundsOfIndex(index: TileLayerIndex): [number, number, number, number] {
  const e = index.extent();
  return e ? boundsOf(...e) : [-180, -85.0511, 180, 85.0511];
}
