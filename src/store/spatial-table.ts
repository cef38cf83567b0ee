import type { Knex } from 'knex';
import type { Geometry } from '../domain/types.js';
import { encodeWkb, decodeWkb } from './wkb.js';
import { encodeGpkgGeometry, decodeGpkgGeometry } from './gpkg-geometry.js';
import { registerFeatureTable, unregisterFeatureTable, createSpatialIndex } from './gpkg.js';

/**
 * Spatial tables that look native in both stores: a GeoPackage feature table (BLOB geometry registered in
 * gpkg_contents/gpkg_geometry_columns, R-tree index) or a PostGIS table (`geometry(type, 4490)` + GiST).
 * This is the only module that knows how each store spells a geometry.
 */
export const SRID = 4490;

export type SpatialType = 'POINT' | 'LINESTRING' | 'POLYGON' | 'MULTIPOINT' | 'MULTILINESTRING' | 'MULTIPOLYGON' | 'GEOMETRY';

export interface SpatialTableSpec {
  table: string;
  geometryType: SpatialType;
  /** Shown in QGIS/GDAL as the layer's title and description. */
  title: string;
  description: string;
  columns: (t: Knex.CreateTableBuilder) => void;
}

export const GEOM = 'geom';

export function isSqlite(db: Knex | Knex.Transaction): boolean {
  return db.client.config.client === 'better-sqlite3';
}

/** Creates the table with an integer `fid` key, its attribute columns and a CGCS2000 geometry column. */
export async function createSpatialTable(db: Knex, spec: SpatialTableSpec): Promise<void> {
  const sqlite = isSqlite(db);
  await db.schema.createTable(spec.table, (t) => {
    t.increments('fid');
    if (!sqlite) t.comment(`${spec.title}: ${spec.description}`);
    spec.columns(t);
    // GeoPackage Req 25: the declared type is the geometry type name (SQLite stores the blob as is).
    if (sqlite) t.specificType(GEOM, spec.geometryType);
  });
  if (sqlite) {
    await registerFeatureTable(db, {
      table: spec.table, column: GEOM, geometryType: spec.geometryType,
      identifier: spec.title, description: spec.description, srsId: SRID,
    });
    await createSpatialIndex(db, spec.table, GEOM, 'fid');
  } else {
    const pgType = spec.geometryType === 'GEOMETRY' ? 'Geometry' : spec.geometryType;
    await db.raw(`ALTER TABLE ?? ADD COLUMN ${GEOM} geometry(${pgType}, ${SRID})`, [spec.table]);
    await db.raw(`CREATE INDEX ?? ON ?? USING GIST (${GEOM})`, [`${spec.table}_geom_gist`, spec.table]);
  }
}

export async function dropSpatialTable(db: Knex, table: string): Promise<void> {
  if (isSqlite(db)) await unregisterFeatureTable(db, table);
  await db.schema.dropTableIfExists(table);
}

/** The value to write into the geometry column (promoting to Multi* where the column demands it). */
export function geometryValue(db: Knex | Knex.Transaction, geometry: Geometry, type: SpatialType): unknown {
  const g = promote(geometry, type);
  return isSqlite(db) ? encodeGpkgGeometry(g, SRID) : db.raw('ST_GeomFromWKB(?, ?)', [encodeWkb(g), SRID]);
}

/** Select expression that returns the geometry as bytes the reader below understands. */
export function geometrySelect(db: Knex | Knex.Transaction, alias = GEOM): Knex.Raw {
  return isSqlite(db) ? db.raw(`${GEOM} AS ??`, [alias]) : db.raw(`ST_AsBinary(${GEOM}) AS ??`, [alias]);
}

export function readGeometry(db: Knex | Knex.Transaction, bytes: Uint8Array): Geometry {
  return isSqlite(db) ? decodeGpkgGeometry(bytes) : decodeWkb(bytes);
}

/** The geometry as the column type demands: a Polygon into a MULTIPOLYGON column becomes a one-part MultiPolygon. */
export function promote(g: Geometry, type: SpatialType): Geometry {
  if (type === 'MULTIPOLYGON' && g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates] };
  if (type === 'MULTILINESTRING' && g.type === 'LineString') return { type: 'MultiLineString', coordinates: [g.coordinates] };
  if (type === 'MULTIPOINT' && g.type === 'Point') return { type: 'MultiPoint', coordinates: [g.coordinates] };
  return g;
}

/** A one-part MultiPolygon/MultiLineString read back is given as its single part, as it was usually written. */
export function demote(g: Geometry): Geometry {
  if (g.type === 'MultiPolygon' && g.coordinates.length === 1) return { type: 'Polygon', coordinates: g.coordinates[0] };
  if (g.type === 'MultiLineString' && g.coordinates.length === 1) return { type: 'LineString', coordinates: g.coordinates[0] };
  return g;
}
