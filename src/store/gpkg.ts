import type { Knex } from 'knex';
import type BetterSqlite3 from 'better-sqlite3';
import { gpkgEnvelopeBound } from './gpkg-geometry.js';
import type { Envelope } from './wkb.js';

/**
 * GeoPackage 1.4 metadata (OGC 12-128r18) for Wanmi's embedded store, written through knex on better-sqlite3:
 * the file header pragmas, the core gpkg_* tables, feature-table registration, layer extents and the
 * gpkg_rtree_index spatial-index extension.
 *
 * Every function takes `db: Knex | Knex.Transaction` and issues several statements: the caller owns the
 * transaction that makes them atomic. Table and column names are checked against a plain ASCII identifier
 * pattern and double-quoted, so no caller string reaches SQL unchecked; values always go as bindings.
 *
 * The R-tree triggers and the index/extent queries call ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY, ST_MaxY,
 * which SQLite lacks: every connection must run `registerGpkgFunctions` (knex pool `afterCreate`).
 */

type Db = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/** Default SRS of Wanmi's layers: CGCS2000 geographic 2D (EPSG:4490). */
export const CGCS2000_SRS_ID = 4490;

/** 'GPKG' as a big-endian int32: the SQLite application_id that marks a GeoPackage. */
const APPLICATION_ID = 0x47504b47;
/** GeoPackage 1.4.0, as PRAGMA user_version encodes it. */
const USER_VERSION = 10400;
const RTREE_EXTENSION = 'gpkg_rtree_index';
const RTREE_DEFINITION = 'http://www.geopackage.org/spec/#extension_rtree';
/** ISO 8601 UTC with milliseconds, the timestamp form the spec requires for last_change. */
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

/** Geometry type names a Wanmi feature table may declare (the core GeoPackage names Wanmi can encode). */
export type GpkgGeometryType =
  | 'GEOMETRY' | 'POINT' | 'LINESTRING' | 'POLYGON' | 'MULTIPOINT' | 'MULTILINESTRING' | 'MULTIPOLYGON';

const GEOMETRY_TYPES: ReadonlySet<string> = new Set<GpkgGeometryType>([
  'GEOMETRY', 'POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON',
]);

export interface FeatureTableSpec {
  table: string;
  /** The BLOB column holding GeoPackage geometries. */
  column: string;
  geometryType: GpkgGeometryType;
  /** Layer title shown by GDAL/QGIS; unique among the GeoPackage's contents. Defaults to the table name. */
  identifier?: string;
  description?: string;
  /** Defaults to 4490 (CGCS2000). The SRS must exist in gpkg_spatial_ref_sys. */
  srsId?: number;
}

export type GpkgErrorCode = 'GPKG_BAD_NAME' | 'GPKG_BAD_GEOMETRY_TYPE' | 'GPKG_UNKNOWN_SRS' | 'GPKG_NO_SUCH_COLUMN'
  | 'GPKG_NOT_REGISTERED' | 'GPKG_BAD_PRIMARY_KEY';

/** Error thrown on bad arguments or a missing prerequisite; branch on `code`, not on the message. */
export class GpkgError extends Error {
  constructor(readonly code: GpkgErrorCode, message: string) {
    super(message);
    this.name = 'GpkgError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Core tables
// ---------------------------------------------------------------------------------------------------------

/** OGC WKT 1 as GDAL/PROJ write it for EPSG:4490, so GDAL and QGIS resolve the layer to EPSG:4490 exactly. */
const CGCS2000_WKT = 'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",'
  + 'SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],'
  + 'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
  + 'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]';

const WGS84_WKT = 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
  + 'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
  + 'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
  + 'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

/** The rows the spec requires (-1, 0, 4326) plus CGCS2000: [name, id, organization, org id, definition, description]. */
const SRS_ROWS: ReadonlyArray<readonly [string, number, string, number, string, string]> = [
  ['Undefined Cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined Cartesian coordinate reference system'],
  ['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'],
  ['WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT,
    'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'],
  ['China Geodetic Coordinate System 2000', CGCS2000_SRS_ID, 'EPSG', CGCS2000_SRS_ID, CGCS2000_WKT,
    'CGCS2000 longitude/latitude coordinates in decimal degrees (国家2000大地坐标系)'],
];

/** Table definitions as in the spec's Annex C (DDL), with IF NOT EXISTS so initialisation can repeat. */
const CORE_DDL = [
  `CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
    srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
  `CREATE TABLE IF NOT EXISTS gpkg_contents (
    table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
    description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (${NOW}),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
    CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
  `CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
    table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
    CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
    CONSTRAINT uk_gc_table_name UNIQUE (table_name),
    CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
    CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
  `CREATE TABLE IF NOT EXISTS gpkg_extensions (
    table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
    scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
];

/**
 * Makes the database a GeoPackage 1.4; safe to run again on an existing one.
 *
 * 1. Set the header: application_id 'GPKG', user_version 10400.
 * 2. Create gpkg_spatial_ref_sys, gpkg_contents, gpkg_geometry_columns, gpkg_extensions if missing.
 * 3. Insert the SRS rows -1, 0, 4326 and 4490 unless present.
 */
export async function initGeoPackage(db: Db): Promise<void> {
  await db.raw(`PRAGMA application_id = ${APPLICATION_ID}`);
  await db.raw(`PRAGMA user_version = ${USER_VERSION}`);
  for (const ddl of CORE_DDL) await db.raw(ddl);
  for (const row of SRS_ROWS) {
    await db.raw(
      `INSERT OR IGNORE INTO gpkg_spatial_ref_sys
        (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)`,
      [...row],
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Feature tables
// ---------------------------------------------------------------------------------------------------------

/**
 * Registers an existing table as a 2D feature layer (gpkg_contents + gpkg_geometry_columns).
 * Registering again updates the title, description, type and SRS.
 *
 * 1. Check the names, the geometry type, the SRS row, and that the table has the column.
 * 2. Upsert the gpkg_contents row (data_type 'features'), then the gpkg_geometry_columns row (z = m = 0).
 */
export async function registerFeatureTable(db: Db, spec: FeatureTableSpec): Promise<void> {
  const { table, column, geometryType } = spec;
  const srsId = spec.srsId ?? CGCS2000_SRS_ID;
  checkUserTable(table);
  checkName(column);
  if (!GEOMETRY_TYPES.has(geometryType)) {
    throw new GpkgError('GPKG_BAD_GEOMETRY_TYPE', `Unsupported geometry type ${JSON.stringify(geometryType)}`);
  }
  await requireSrs(db, srsId);
  await requireColumns(db, table, [column]);
  await db.raw(
    `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id, last_change)
      VALUES (?, 'features', ?, ?, ?, ${NOW})
      ON CONFLICT (table_name) DO UPDATE SET data_type = 'features', identifier = excluded.identifier,
        description = excluded.description, srs_id = excluded.srs_id, last_change = excluded.last_change`,
    [table, spec.identifier ?? table, spec.description ?? '', srsId],
  );
  await db.raw(
    `INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m)
      VALUES (?, ?, ?, ?, 0, 0)
      ON CONFLICT (table_name, column_name) DO UPDATE SET
        geometry_type_name = excluded.geometry_type_name, srs_id = excluded.srs_id`,
    [table, column, geometryType, srsId],
  );
}

/**
 * Removes a feature table from the GeoPackage metadata; the table itself stays (drop it after).
 * Drops its R-tree index and triggers, then deletes its gpkg_extensions, gpkg_geometry_columns and
 * gpkg_contents rows, in the order the foreign keys need.
 */
export async function unregisterFeatureTable(db: Db, table: string): Promise<void> {
  checkName(table);
  const columns = await db.raw<Row[]>('SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?', [table]);
  for (const { column_name } of columns) await dropSpatialIndex(db, table, String(column_name));
  await db.raw('DELETE FROM gpkg_extensions WHERE table_name = ?', [table]);
  await db.raw('DELETE FROM gpkg_geometry_columns WHERE table_name = ?', [table]);
  await db.raw('DELETE FROM gpkg_contents WHERE table_name = ?', [table]);
}

/**
 * Recomputes a feature layer's extent (min_x … max_y in gpkg_contents) and stamps last_change; call it
 * after bulk writes. The extent is taken from the geometries' exact bounds (ST_MinX … over the header
 * envelopes), not from the R-tree, whose float32 boxes are rounded outwards; a bulk loader that knows the
 * exact extent passes it as `known`. An empty layer gets a NULL extent. Returns [minX, minY, maxX, maxY], or null.
 */
export async function updateContentsExtent(db: Db, table: string, known?: Envelope): Promise<Envelope | null> {
  checkName(table);
  const extent = known ?? (await scanExtent(db, table));
  await db.raw(
    `UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, last_change = ${NOW} WHERE table_name = ?`,
    [...(extent ?? [null, null, null, null]), table],
  );
  return extent;
}

/** The exact extent of a table's geometries (one pass over every row). */
async function scanExtent(db: Db, table: string): Promise<Envelope | null> {
  const column = await geometryColumnOf(db, table);
  const [row] = await db.raw<Row[]>(
    `SELECT min(ST_MinX(${q(column)})) AS min_x, min(ST_MinY(${q(column)})) AS min_y,
            max(ST_MaxX(${q(column)})) AS max_x, max(ST_MaxY(${q(column)})) AS max_y FROM ${q(table)}`,
  );
  const box = [row.min_x, row.min_y, row.max_x, row.max_y];
  return box.every((v) => typeof v === 'number') ? (box as Envelope) : null;
}

// ---------------------------------------------------------------------------------------------------------
// R-tree spatial index (gpkg_rtree_index)
// ---------------------------------------------------------------------------------------------------------

/**
 * Creates (or rebuilds) the gpkg_rtree_index spatial index of a registered geometry column.
 *
 * 1. Check the column is registered and `pkColumn` is the table's INTEGER PRIMARY KEY.
 * 2. Drop any existing index, then create the virtual table `rtree_<table>_<column>`.
 * 3. Fill it from the non-empty geometries of existing rows.
 * 4. Create the GeoPackage 1.4 triggers (insert, update2, update4–7, delete) that keep it in step.
 * 5. Register the extension row (scope write-only).
 */
export async function createSpatialIndex(
  db: Db, table: string, column: string, pkColumn: string, options: { fill?: boolean } = {},
): Promise<void> {
  checkUserTable(table);
  checkName(column);
  checkName(pkColumn);
  const registered = await db.raw<Row[]>(
    'SELECT 1 FROM gpkg_geometry_columns WHERE table_name = ? AND column_name = ?', [table, column],
  );
  if (registered.length === 0) {
    throw new GpkgError('GPKG_NOT_REGISTERED', `${table}.${column} is not in gpkg_geometry_columns`);
  }
  await requireIntegerPk(db, table, pkColumn);
  await dropSpatialIndex(db, table, column);
  const rtree = q(`rtree_${table}_${column}`);
  const [t, c, i] = [q(table), q(column), q(pkColumn)];
  await db.raw(`CREATE VIRTUAL TABLE ${rtree} USING rtree(id, minx, maxx, miny, maxy)`);
  // A bulk loader that already knows every envelope fills the tree itself (fill: false): far cheaper
  // than five SQL function calls per row into JavaScript.
  if (options.fill !== false) {
    await db.raw(`INSERT OR REPLACE INTO ${rtree}
      SELECT ${i}, ST_MinX(${c}), ST_MaxX(${c}), ST_MinY(${c}), ST_MaxY(${c}) FROM ${t}
      WHERE ${c} NOT NULL AND NOT ST_IsEmpty(${c})`);
  }
  for (const sql of rtreeTriggers(table, column, pkColumn)) await db.raw(sql);
  await db.raw(
    `INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
      VALUES (?, ?, '${RTREE_EXTENSION}', '${RTREE_DEFINITION}', 'write-only')`,
    [table, column],
  );
}

/**
 * Drops the spatial index of a geometry column (R-tree table, its triggers of any GeoPackage version, and
 * the extension row); a no-op when there is none. Bulk loads of many rows can drop, load, and recreate.
 */
export async function dropSpatialIndex(db: Db, table: string, column: string): Promise<void> {
  checkName(table);
  checkName(column);
  const prefix = `rtree_${table}_${column}`;
  // update1 and update3 are the GeoPackage ≤ 1.3 triggers, present when another tool made the index.
  for (const suffix of TRIGGER_SUFFIXES) await db.raw(`DROP TRIGGER IF EXISTS ${q(`${prefix}_${suffix}`)}`);
  await db.raw(`DROP TABLE IF EXISTS ${q(prefix)}`);
  await db.raw(
    `DELETE FROM gpkg_extensions WHERE table_name = ? AND column_name = ? AND extension_name = '${RTREE_EXTENSION}'`,
    [table, column],
  );
}

/** The GeoPackage 1.4 trigger set of Annex F.3, with <t>, <c>, <i> substituted and quoted. */
const TRIGGER_SUFFIXES = ['insert', 'update1', 'update2', 'update3', 'update4', 'update5', 'update6', 'update7', 'delete'];

/**
 * Drops the R-tree triggers only (the index stays): a bulk loader maintains the tree itself meanwhile.
 * `only` names the triggers to drop (e.g. ['insert'], so deletes meanwhile still unindex their rows).
 */
export async function dropRtreeTriggers(db: Db, table: string, column: string, only: readonly string[] = TRIGGER_SUFFIXES): Promise<void> {
  checkName(table);
  checkName(column);
  for (const suffix of only) {
    if (!TRIGGER_SUFFIXES.includes(suffix)) throw new GpkgError('GPKG_BAD_NAME', `No R-tree trigger is called ${JSON.stringify(suffix)}`);
    await db.raw(`DROP TRIGGER IF EXISTS ${q(`rtree_${table}_${column}_${suffix}`)}`);
  }
}

/** (Re)creates the GeoPackage 1.4 R-tree triggers of an existing index. */
export async function createRtreeTriggers(db: Db, table: string, column: string, pkColumn: string): Promise<void> {
  checkUserTable(table);
  checkName(column);
  checkName(pkColumn);
  await dropRtreeTriggers(db, table, column);
  for (const sql of rtreeTriggers(table, column, pkColumn)) await db.raw(sql);
}

function rtreeTriggers(table: string, column: string, pkColumn: string): string[] {
  const name = (suffix: string) => q(`rtree_${table}_${column}_${suffix}`);
  const rtree = q(`rtree_${table}_${column}`);
  const [t, c, i] = [q(table), q(column), q(pkColumn)];
  const bounds = `ST_MinX(NEW.${c}), ST_MaxX(NEW.${c}), ST_MinY(NEW.${c}), ST_MaxY(NEW.${c})`;
  const newFilled = `(NEW.${c} NOTNULL AND NOT ST_IsEmpty(NEW.${c}))`;
  const newEmpty = `(NEW.${c} ISNULL OR ST_IsEmpty(NEW.${c}))`;
  return [
    // Insertion of a non-empty geometry: index it.
    `CREATE TRIGGER ${name('insert')} AFTER INSERT ON ${t}
      WHEN (new.${c} NOT NULL AND NOT ST_IsEmpty(NEW.${c}))
      BEGIN INSERT OR REPLACE INTO ${rtree} VALUES (NEW.${i}, ${bounds}); END`,
    // Geometry set to null/empty, same id: unindex it.
    `CREATE TRIGGER ${name('update2')} AFTER UPDATE OF ${c} ON ${t}
      WHEN OLD.${i} = NEW.${i} AND ${newEmpty}
      BEGIN DELETE FROM ${rtree} WHERE id = OLD.${i}; END`,
    // Id changed, geometry null/empty: unindex both ids.
    `CREATE TRIGGER ${name('update4')} AFTER UPDATE ON ${t}
      WHEN OLD.${i} != NEW.${i} AND ${newEmpty}
      BEGIN DELETE FROM ${rtree} WHERE id IN (OLD.${i}, NEW.${i}); END`,
    // Id changed, geometry non-empty: move the entry.
    `CREATE TRIGGER ${name('update5')} AFTER UPDATE ON ${t}
      WHEN OLD.${i} != NEW.${i} AND ${newFilled}
      BEGIN DELETE FROM ${rtree} WHERE id = OLD.${i};
        INSERT OR REPLACE INTO ${rtree} VALUES (NEW.${i}, ${bounds}); END`,
    // Non-empty replaced by non-empty, same id: update the box in place.
    `CREATE TRIGGER ${name('update6')} AFTER UPDATE OF ${c} ON ${t}
      WHEN OLD.${i} = NEW.${i} AND ${newFilled} AND (OLD.${c} NOTNULL AND NOT ST_IsEmpty(OLD.${c}))
      BEGIN UPDATE ${rtree} SET minx = ST_MinX(NEW.${c}), maxx = ST_MaxX(NEW.${c}),
        miny = ST_MinY(NEW.${c}), maxy = ST_MaxY(NEW.${c}) WHERE id = NEW.${i}; END`,
    // Null/empty replaced by non-empty, same id: index it.
    `CREATE TRIGGER ${name('update7')} AFTER UPDATE OF ${c} ON ${t}
      WHEN OLD.${i} = NEW.${i} AND ${newFilled} AND (OLD.${c} ISNULL OR ST_IsEmpty(OLD.${c}))
      BEGIN INSERT INTO ${rtree} VALUES (NEW.${i}, ${bounds}); END`,
    // Row deleted: unindex it.
    `CREATE TRIGGER ${name('delete')} AFTER DELETE ON ${t}
      WHEN old.${c} NOT NULL
      BEGIN DELETE FROM ${rtree} WHERE id = OLD.${i}; END`,
  ];
}

// ---------------------------------------------------------------------------------------------------------
// SQL functions
// ---------------------------------------------------------------------------------------------------------

/**
 * Defines ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY, ST_MaxY on a better-sqlite3 connection (deterministic).
 * They read the GeoPackage header envelope when present, else decode the WKB. NULL gives NULL, as the
 * spec says; an empty geometry gives ST_IsEmpty 1 and NULL bounds. A value that is not a GeoPackage
 * geometry blob throws, which aborts the statement: a bad blob never enters an indexed table.
 * Call it for every connection (knex pool `afterCreate`), before any trigger or index query runs.
 */
export function registerGpkgFunctions(conn: BetterSqlite3.Database): void {
  const options = { deterministic: true };
  conn.function('ST_IsEmpty', options, (g: unknown) => (g === null ? null : bound(g, 'ST_IsEmpty', 0) === null ? 1 : 0));
  conn.function('ST_MinX', options, (g: unknown) => (g === null ? null : bound(g, 'ST_MinX', 0)));
  conn.function('ST_MinY', options, (g: unknown) => (g === null ? null : bound(g, 'ST_MinY', 1)));
  conn.function('ST_MaxX', options, (g: unknown) => (g === null ? null : bound(g, 'ST_MaxX', 2)));
  conn.function('ST_MaxY', options, (g: unknown) => (g === null ? null : bound(g, 'ST_MaxY', 3)));
}

function bound(g: unknown, fn: string, index: 0 | 1 | 2 | 3): number | null {
  if (!(g instanceof Uint8Array)) throw new TypeError(`${fn}: expected a GeoPackage geometry BLOB, got ${typeof g}`);
  return gpkgEnvelopeBound(g, index);
}

// ---------------------------------------------------------------------------------------------------------
// Checks and quoting
// ---------------------------------------------------------------------------------------------------------

/** Plain ASCII identifiers only: they are safe to double-quote and portable to PostGIS. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function checkName(name: string): void {
  if (typeof name !== 'string' || !IDENTIFIER.test(name) || /^sqlite_/i.test(name)) {
    throw new GpkgError('GPKG_BAD_NAME', `Bad table or column name ${JSON.stringify(name)}`);
  }
}

/** User tables must also stay out of the gpkg_ and rtree_ namespaces the spec and this module use. */
function checkUserTable(name: string): void {
  checkName(name);
  if (/^(gpkg|rtree)_/i.test(name)) {
    throw new GpkgError('GPKG_BAD_NAME', `Table name ${JSON.stringify(name)} uses a reserved prefix`);
  }
}

/** Double-quotes a name already passed through checkName. */
function q(name: string): string {
  return `"${name}"`;
}

async function requireSrs(db: Db, srsId: number): Promise<void> {
  const rows = await db.raw<Row[]>('SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [srsId]);
  if (rows.length === 0) throw new GpkgError('GPKG_UNKNOWN_SRS', `SRS ${srsId} is not in gpkg_spatial_ref_sys`);
}

async function requireColumns(db: Db, table: string, columns: string[]): Promise<void> {
  const rows = await db.raw<Row[]>('SELECT name FROM pragma_table_info(?)', [table]);
  const names = new Set(rows.map((r) => r.name));
  const missing = columns.filter((c) => !names.has(c));
  if (missing.length > 0) {
    throw new GpkgError('GPKG_NO_SUCH_COLUMN', `Table ${table} has no column ${missing.join(', ')} (or does not exist)`);
  }
}

async function requireIntegerPk(db: Db, table: string, pkColumn: string): Promise<void> {
  const rows = await db.raw<Row[]>('SELECT name, type, pk FROM pragma_table_info(?)', [table]);
  const keys = rows.filter((r) => Number(r.pk) > 0);
  const ok = keys.length === 1 && keys[0].name === pkColumn && String(keys[0].type).toUpperCase() === 'INTEGER';
  if (!ok) throw new GpkgError('GPKG_BAD_PRIMARY_KEY', `${table}.${pkColumn} is not the table's INTEGER PRIMARY KEY`);
}

async function geometryColumnOf(db: Db, table: string): Promise<string> {
  const rows = await db.raw<Row[]>('SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?', [table]);
  if (rows.length === 0) throw new GpkgError('GPKG_NOT_REGISTERED', `${table} is not in gpkg_geometry_columns`);
  const column = String(rows[0].column_name);
  checkName(column);
  return column;
}
