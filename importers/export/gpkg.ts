import { rmSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import type BetterSqlite3 from 'better-sqlite3';
import { encodeGpkgGeometry } from '../../src/store/gpkg-geometry.js';
import {
  CGCS2000_SRS_ID, createRtreeTriggers, createSpatialIndex, dropRtreeTriggers, initGeoPackage, registerFeatureTable,
  registerGpkgFunctions, updateContentsExtent, type GpkgGeometryType,
} from '../../src/store/gpkg.js';
import { geometryEnvelope, type Envelope } from '../../src/store/wkb.js';
import { IMPORT_LAYERS } from '../import-layers.js';
import { surveyLayer, type Column, type LayerSurvey } from './survey.js';
import { promote, type ExportResult, type WriterInput } from './types.js';

/**
 * A layer as a standalone GeoPackage 1.4: one feature table named after the layer's store table, with
 * the same census columns as the other formats (not Wanmi's store columns), EPSG:4490, and a
 * gpkg_rtree_index spatial index, built with the store's own GeoPackage helpers (src/store/gpkg.ts).
 *
 *   1. survey: columns and geometry families (a components layer of points only becomes a POINT table);
 *   2. create the file afresh, the core tables, the feature table, register it;
 *   3. insert every row in one transaction through a prepared statement, keeping envelopes;
 *   4. create the R-tree without the per-row SQL callbacks (filled from the envelopes), then its
 *      triggers, and the layer extent.
 */
const GEOM = 'geom';

/** GeoPackage column types; whole numbers as INTEGER so GDAL/QGIS show them without ".0". */
const sqlType = (c: Column) => (c.kind === 'text' ? 'TEXT' : c.kind === 'date' ? 'DATE' : c.decimals === 0 ? 'INTEGER' : 'REAL');

function geometryType(survey: LayerSurvey, input: WriterInput): GpkgGeometryType {
  const declared = IMPORT_LAYERS[input.layer].codec.geometryType;
  if (declared !== 'GEOMETRY') return declared;
  const families = [...survey.families.keys()];
  if (families.length !== 1) return 'GEOMETRY';
  return ({ point: 'POINT', multipoint: 'MULTIPOINT', line: 'MULTILINESTRING', polygon: 'MULTIPOLYGON' } as const)[families[0]];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function openFile(out: string): Knex {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(out + suffix, { force: true });
  return knexFactory({
    client: 'better-sqlite3', connection: { filename: out }, useNullAsDefault: true,
    pool: {
      min: 1, max: 1,
      afterCreate(conn: BetterSqlite3.Database, done: (err: Error | null, conn: unknown) => void) {
        registerGpkgFunctions(conn);
        done(null, conn);
      },
    },
  });
}

export async function writeGeoPackage(out: string, input: WriterInput): Promise<ExportResult> {
  const survey = await surveyLayer(input.features(), input.layer);
  const type = geometryType(survey, input);
  const table = IMPORT_LAYERS[input.layer].codec.table;
  const db = openFile(out);
  try {
    await initGeoPackage(db);
    const columns = survey.columns.map((c) => `${quote(c.name)} ${sqlType(c)}`);
    await db.raw(`CREATE TABLE ${quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, ${GEOM} ${type}, ${columns.join(', ')})`);
    await registerFeatureTable(db, {
      table, column: GEOM, geometryType: type, identifier: table, srsId: CGCS2000_SRS_ID,
      description: `Wanmi ${input.layer} layer, exported ${new Date().toISOString().slice(0, 10)} (CGCS2000 lon/lat)`,
    });
    const count = await db.transaction(async (trx) => {
      const { count, boxes } = await insertRows(trx, table, type, survey.columns, input);
      await createSpatialIndex(trx, table, GEOM, 'fid', { fill: false });
      await dropRtreeTriggers(trx, table, GEOM);
      await fillIndex(trx, table, boxes);
      await createRtreeTriggers(trx, table, GEOM, 'fid');
      await updateContentsExtent(trx, table, extentOf(boxes, count) ?? undefined);
      return count;
    });
    return { files: [out], count, warnings: [] };
  } finally {
    await db.destroy();
  }
}

async function connection(trx: Knex.Transaction): Promise<BetterSqlite3.Database> {
  // A transaction's client hands out the connection the transaction is bound to.
  return (await trx.client.acquireConnection()) as BetterSqlite3.Database;
}

async function insertRows(trx: Knex.Transaction, table: string, type: GpkgGeometryType, columns: readonly Column[], input: WriterInput) {
  const conn = await connection(trx);
  const names = [GEOM, ...columns.map((c) => c.name)].map(quote);
  const insert = conn.prepare(`INSERT INTO ${quote(table)} (${names.join(',')}) VALUES (${names.map(() => '?').join(',')})`);
  const multi = type.startsWith('MULTI');
  const boxes: number[] = [];
  let count = 0;
  for await (const f of input.features()) {
    const g = promote(f.geometry, multi);
    const fid = Number(insert.run([encodeGpkgGeometry(g, CGCS2000_SRS_ID), ...columns.map((c) => c.value(f))]).lastInsertRowid);
    boxes.push(fid, ...geometryEnvelope(g));
    count++;
  }
  return { count, boxes };
}

async function fillIndex(trx: Knex.Transaction, table: string, boxes: readonly number[]): Promise<void> {
  const conn = await connection(trx);
  const insert = conn.prepare(`INSERT INTO ${quote(`rtree_${table}_${GEOM}`)} VALUES (?, ?, ?, ?, ?)`);
  for (let i = 0; i < boxes.length; i += 5) {
    const [fid, minX, minY, maxX, maxY] = boxes.slice(i, i + 5);
    if (!Number.isNaN(minX)) insert.run(fid, minX, maxX, minY, maxY);
  }
}

function extentOf(boxes: readonly number[], count: number): Envelope | null {
  if (count === 0) return null;
  const e: Envelope = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < boxes.length; i += 5) {
    e[0] = Math.min(e[0], boxes[i + 1]); e[1] = Math.min(e[1], boxes[i + 2]);
    e[2] = Math.max(e[2], boxes[i + 3]); e[3] = Math.max(e[3], boxes[i + 4]);
  }
  return e;
}
