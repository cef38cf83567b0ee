import type { Knex } from 'knex';
import type {
  AdminArea, Grid, Component, Address, Road, Zone, Geometry, AdminLevel,
  PolygonGeometry, MultiPolygonGeometry, PointGeometry, LineStringGeometry, MultiLineStringGeometry,
} from '../domain/types.js';
import type { SpatialType } from './spatial-table.js';

/**
 * How each layer's domain rows map to table rows. One codec per layer; the generic reader/writer in
 * layer-io.ts does the rest, so adding a layer means adding a codec, not another copy of the I/O.
 */
export interface LayerCodec<T> {
  table: string;
  geometryType: SpatialType;
  /** The column holding the feature's public id or code. */
  key: string;
  keyOf(item: T): string;
  toRow(item: T): Record<string, unknown>;
  fromRow(row: Record<string, any>, geometry: Geometry): T;
}

type Polygonal = PolygonGeometry | MultiPolygonGeometry;

export const adminAreas: LayerCodec<AdminArea> = {
  table: 'admin_areas', geometryType: 'MULTIPOLYGON', key: 'code',
  keyOf: (a) => a.code,
  toRow: (a) => ({ code: a.code, name: a.name, level: a.level, parent_code: a.parentCode }),
  fromRow: (r, g) => ({ code: r.code, name: r.name, level: r.level as AdminLevel, parentCode: r.parent_code, geometry: g as Polygonal }),
};

export const grids: LayerCodec<Grid> = {
  table: 'grids', geometryType: 'MULTIPOLYGON', key: 'code',
  keyOf: (g) => g.code,
  toRow: (g) => ({
    code: g.code, name: g.name, community_code: g.communityCode, area_m2: g.areaM2,
    initial_date: g.initialDate, termination_date: g.terminationDate, note: g.note,
  }),
  fromRow: (r, geometry) => ({
    code: r.code, name: r.name, communityCode: r.community_code, areaM2: Number(r.area_m2),
    initialDate: r.initial_date, terminationDate: r.termination_date, note: r.note, geometry: geometry as Polygonal,
  }),
};

export const components: LayerCodec<Component> = {
  table: 'components', geometryType: 'GEOMETRY', key: 'obj_id',
  keyOf: (c) => c.id,
  toRow: (c) => ({
    obj_id: c.id, major: c.major, minor: c.minor, type_code: c.major + c.minor, name: c.name,
    competent_unit: c.competentUnit, owner_unit: c.ownerUnit, maintainer_unit: c.maintainerUnit,
    grid_code: c.gridCode, state: c.state, initial_date: c.initialDate, changed_date: c.changedDate,
    data_source: c.dataSource, note: c.note, extra: JSON.stringify(c.extra ?? {}),
  }),
  fromRow: (r, geometry) => ({
    id: r.obj_id, major: r.major, minor: r.minor, name: r.name,
    competentUnit: r.competent_unit, ownerUnit: r.owner_unit, maintainerUnit: r.maintainer_unit,
    gridCode: r.grid_code, state: r.state, initialDate: r.initial_date, changedDate: r.changed_date,
    dataSource: r.data_source, note: r.note, extra: r.extra ? JSON.parse(r.extra) : {}, geometry,
  }),
};

export const addresses: LayerCodec<Address> = {
  table: 'addresses', geometryType: 'POINT', key: 'addr_id',
  keyOf: (a) => a.id,
  toRow: (a) => ({
    addr_id: a.id, road_name: a.roadName, house_number: a.houseNumber, number: a.number, building: a.building,
    district_code: a.districtCode, street_code: a.streetCode, community_code: a.communityCode,
  }),
  fromRow: (r, g) => ({
    id: r.addr_id, roadName: r.road_name, houseNumber: r.house_number, number: r.number, building: r.building,
    districtCode: r.district_code, streetCode: r.street_code, communityCode: r.community_code, geometry: g as PointGeometry,
  }),
};

export const roads: LayerCodec<Road> = {
  table: 'roads', geometryType: 'MULTILINESTRING', key: 'road_id',
  keyOf: (r) => r.id,
  toRow: (r) => ({ road_id: r.id, name: r.name, district_code: r.districtCode }),
  fromRow: (r, g) => ({
    id: r.road_id, name: r.name, districtCode: r.district_code, geometry: g as LineStringGeometry | MultiLineStringGeometry,
  }),
};

export const zones: LayerCodec<Zone> = {
  table: 'zones', geometryType: 'MULTIPOLYGON', key: 'zone_id',
  keyOf: (z) => z.id,
  toRow: (z) => ({
    zone_id: z.id, name: z.name, kind: z.kind, responsible_unit: z.responsibleUnit, classes: z.classes.join(','),
  }),
  fromRow: (r, g) => ({
    id: r.zone_id, name: r.name, kind: r.kind, responsibleUnit: r.responsible_unit,
    classes: r.classes ? String(r.classes).split(',') : [], geometry: g as Polygonal,
  }),
};

/** Every spatial layer by its name in the API and the CLI. */
export const layerCodecs = { adminAreas, grids, components, addresses, roads, zones } as const;
