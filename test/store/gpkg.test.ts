import t from 'tap';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import knexFactory, { type Knex } from 'knex';
import type BetterSqlite3 from 'better-sqlite3';
import type { Geometry } from '../../src/domain/types.js';
import { encodeWkb } from '../../src/store/wkb.js';
import {
  decodeGpkgGeometry, encodeGpkgGeometry, gpkgEnvelope, gpkgEnvelopeBound, readGpkgHeader,
} from '../../src/store/gpkg-geometry.js';
import {
  createSpatialIndex, initGeoPackage, registerFeatureTable, registerGpkgFunctions, unregisterFeatureTable,
  updateContentsExtent,
} from '../../src/store/gpkg.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function openGpkg(filename: string): Knex {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      afterCreate(conn: BetterSqlite3.Database, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('foreign_keys = ON');
        registerGpkgFunctions(conn);
        done(null, conn);
      },
    },
  });
}

/** Six features, one of each type, named in Chinese; coordinates chosen to print exactly in ogrinfo. */
const FEATURES: Array<{ name: string; geometry: Geometry; wkt: string }> = [
  { name: '天安门', geometry: { type: 'Point', coordinates: [116.3975, 39.9087] }, wkt: 'POINT (116.3975 39.9087)' },
  {
    name: '西湖十景',
    geometry: { type: 'MultiPoint', coordinates: [[120.1445, 30.2592], [120.1488, 30.2311]] },
    wkt: 'MULTIPOINT ((120.1445 30.2592),(120.1488 30.2311))',
  },
  {
    name: '钱塘江大桥',
    geometry: { type: 'LineString', coordinates: [[120.1325, 30.2039], [120.1425, 30.1935]] },
    wkt: 'LINESTRING (120.1325 30.2039,120.1425 30.1935)',
  },
  {
    name: '白堤与苏堤',
    geometry: { type: 'MultiLineString', coordinates: [[[120.15, 30.26], [120.14, 30.25]], [[120.13, 30.25], [120.14, 30.23]]] },
    wkt: 'MULTILINESTRING ((120.15 30.26,120.14 30.25),(120.13 30.25,120.14 30.23))',
  },
  {
    name: '湖滨街道（含回字形）',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [[120.16, 30.25], [120.17, 30.25], [120.17, 30.26], [120.16, 30.26], [120.16, 30.25]],
        [[120.162, 30.252], [120.164, 30.252], [120.164, 30.254], [120.162, 30.252]],
      ],
    },
    wkt: 'POLYGON ((120.16 30.25,120.17 30.25,120.17 30.26,120.16 30.26,120.16 30.25),'
      + '(120.162 30.252,120.164 30.252,120.164 30.254,120.162 30.252))',
  },
  {
    name: '上城区飞地',
    geometry: {
      type: 'MultiPolygon',
      coordinates: [
        [[[120.18, 30.24], [120.19, 30.24], [120.19, 30.25], [120.18, 30.24]]],
        [[[120.2, 30.22], [120.21, 30.22], [120.21, 30.23], [120.2, 30.22]]],
      ],
    },
    wkt: 'MULTIPOLYGON (((120.18 30.24,120.19 30.24,120.19 30.25,120.18 30.24)),'
      + '((120.2 30.22,120.21 30.22,120.21 30.23,120.2 30.22)))',
  },
];

t.test('GeoPackage geometry blobs', async (t) => {
  t.test('byte-identical to GDAL 3.6 output', async (t) => {
    // Blobs written by `ogr2ogr -f GPKG -a_srs EPSG:4490` for the same geometries.
    t.same(
      encodeGpkgGeometry({ type: 'Point', coordinates: [116, 39] }),
      hex('475000018A110000 0101000000 0000000000005D40 0000000000804340'),
      'point: no envelope',
    );
    const polygon: Geometry = {
      type: 'Polygon',
      coordinates: [
        [[120, 30], [121, 30], [121, 31], [120, 31], [120, 30]],
        [[120.25, 30.25], [120.5, 30.25], [120.5, 30.5], [120.25, 30.25]],
      ],
    };
    const polygonBlob = hex(`475000038A110000 0000000000005E40 0000000000405E40 0000000000003E40 0000000000003F40
      010300000002000000050000000000000000005E400000000000003E400000000000405E400000000000003E40
      0000000000405E400000000000003F400000000000005E400000000000003F400000000000005E400000000000003E40
      040000000000000000105E400000000000403E400000000000205E400000000000403E400000000000205E40
      0000000000803E400000000000105E400000000000403E40`);
    t.same(encodeGpkgGeometry(polygon), polygonBlob, 'polygon with hole: xy envelope as minx, maxx, miny, maxy');
    t.same(decodeGpkgGeometry(polygonBlob), polygon);
  });

  t.test('decodes every envelope indicator and both header byte orders', async (t) => {
    const g: Geometry = { type: 'LineString', coordinates: [[1, 2], [3, 4]] };
    const wkb = encodeWkb(g);
    for (let indicator = 0; indicator <= 4; indicator++) {
      for (const little of [true, false]) {
        const doubles = [0, 4, 6, 6, 8][indicator];
        const header = Buffer.alloc(8 + 8 * doubles);
        header.write('GP', 0, 'latin1');
        header[3] = (indicator << 1) | (little ? 1 : 0);
        if (little) header.writeInt32LE(4490, 4); else header.writeInt32BE(4490, 4);
        const env = [1, 3, 2, 4, -1, 1, -2, 2];
        for (let k = 0; k < doubles; k++) {
          if (little) header.writeDoubleLE(env[k], 8 + 8 * k); else header.writeDoubleBE(env[k], 8 + 8 * k);
        }
        const blob = Buffer.concat([header, wkb]);
        const label = `indicator ${indicator}, ${little ? 'little' : 'big'}-endian`;
        t.same(decodeGpkgGeometry(blob), g, label);
        t.equal(readGpkgHeader(blob).srsId, 4490, `${label}: srs_id`);
        t.same(gpkgEnvelope(blob), [1, 2, 3, 4], `${label}: envelope`);
        t.same([0, 1, 2, 3].map((i) => gpkgEnvelopeBound(blob, i as 0 | 1 | 2 | 3)), [1, 2, 3, 4], `${label}: bounds`);
      }
    }
  });

  t.test('empty geometries carry the empty flag and no envelope', async (t) => {
    const blob = encodeGpkgGeometry({ type: 'Polygon', coordinates: [] });
    t.equal(blob[3], 0x11, 'flags: empty, no envelope, little-endian');
    t.equal(gpkgEnvelope(blob), null);
    t.equal(gpkgEnvelopeBound(blob, 2), null);
    t.same(decodeGpkgGeometry(blob), { type: 'Polygon', coordinates: [] });
    t.equal(gpkgEnvelope(encodeGpkgGeometry({ type: 'Point', coordinates: [NaN, NaN] })), null, 'empty point');
  });

  t.test('rejects bad headers', async (t) => {
    const good = encodeGpkgGeometry({ type: 'Point', coordinates: [1, 2] });
    const variant = (at: number, value: number) => { const b = Buffer.from(good); b[at] = value; return b; };
    t.throws(() => decodeGpkgGeometry(good.subarray(0, 6)), { code: 'GPKG_GEOMETRY_INVALID' }, 'short');
    t.throws(() => decodeGpkgGeometry(variant(0, 0x58)), { code: 'GPKG_GEOMETRY_INVALID' }, 'magic');
    t.throws(() => decodeGpkgGeometry(variant(2, 1)), { code: 'GPKG_GEOMETRY_INVALID' }, 'version');
    t.throws(() => decodeGpkgGeometry(variant(3, 0x21)), { code: 'GPKG_GEOMETRY_INVALID' }, 'extended type');
    t.throws(() => decodeGpkgGeometry(variant(3, (5 << 1) | 1)), { code: 'GPKG_GEOMETRY_INVALID' }, 'indicator 5');
    t.throws(() => decodeGpkgGeometry(variant(3, (1 << 1) | 1)), { code: 'GPKG_GEOMETRY_INVALID' }, 'envelope past end');
    t.throws(() => decodeGpkgGeometry(good.subarray(0, good.byteLength - 1)), { code: 'WKB_INVALID' }, 'truncated WKB');
  });
});

t.test('GeoPackage file', async (t) => {
  const file = path.join(t.testdir(), 'demo.gpkg');
  const db = openGpkg(file);
  let closed = false;
  t.teardown(() => (closed ? undefined : db.destroy()));

  const rtreeRows = async (table: string) =>
    db.raw<Array<{ id: number; minx: number; maxx: number; miny: number; maxy: number }>>(
      `SELECT id, minx, maxx, miny, maxy FROM "rtree_${table}_geom" ORDER BY id`,
    );

  await db.transaction(async (trx) => {
    await initGeoPackage(trx);
    await initGeoPackage(trx); // idempotent
    await trx.raw('CREATE TABLE demo_features (fid INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, geom GEOMETRY)');
    await trx.raw('CREATE TABLE demo_points (fid INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, geom POINT)');
    await trx.raw('CREATE TABLE demo_areas (fid INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, geom MULTIPOLYGON)');
    await registerFeatureTable(trx, {
      table: 'demo_features', column: 'geom', geometryType: 'GEOMETRY', identifier: '示例要素', description: '六种几何类型',
    });
    await registerFeatureTable(trx, { table: 'demo_points', column: 'geom', geometryType: 'POINT', identifier: '示例点' });
    await registerFeatureTable(trx, { table: 'demo_areas', column: 'geom', geometryType: 'MULTIPOLYGON', srsId: 4490 });
    // Half the rows before the index exists (filled by createSpatialIndex), half after (the insert trigger).
    for (const f of FEATURES.slice(0, 3)) {
      await trx('demo_features').insert({ name: f.name, geom: encodeGpkgGeometry(f.geometry) });
    }
    await createSpatialIndex(trx, 'demo_features', 'geom', 'fid');
    await createSpatialIndex(trx, 'demo_points', 'geom', 'fid');
    await createSpatialIndex(trx, 'demo_areas', 'geom', 'fid');
    for (const f of FEATURES.slice(3)) {
      await trx('demo_features').insert({ name: f.name, geom: encodeGpkgGeometry(f.geometry) });
    }
    await trx('demo_points').insert({ name: '断桥残雪', geom: encodeGpkgGeometry({ type: 'Point', coordinates: [120.1517, 30.2598] }) });
    await trx('demo_areas').insert({ name: '上城区飞地', geom: encodeGpkgGeometry(FEATURES[5].geometry) });
    t.same(await updateContentsExtent(trx, 'demo_features'), [116.3975, 30.1935, 120.21, 39.9087], 'exact extent');
    await updateContentsExtent(trx, 'demo_points');
    await updateContentsExtent(trx, 'demo_areas');
  });

  t.test('header and metadata', async (t) => {
    t.same(await db.raw('PRAGMA application_id'), [{ application_id: 0x47504b47 }]);
    t.same(await db.raw('PRAGMA user_version'), [{ user_version: 10400 }]);
    const srs = await db('gpkg_spatial_ref_sys').select('srs_id', 'organization').orderBy('srs_id');
    t.same(srs.map((r) => r.srs_id), [-1, 0, 4326, 4490]);
    const contents = await db('gpkg_contents').where({ table_name: 'demo_features' }).first();
    t.match(contents, {
      data_type: 'features', identifier: '示例要素', srs_id: 4490,
      min_x: 116.3975, min_y: 30.1935, max_x: 120.21, max_y: 39.9087,
      last_change: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
    });
    t.same(
      await db('gpkg_extensions').select('table_name', 'extension_name', 'scope').orderBy('table_name'),
      ['demo_areas', 'demo_features', 'demo_points'].map((table_name) => ({
        table_name, extension_name: 'gpkg_rtree_index', scope: 'write-only',
      })),
    );
    const triggers = await db('sqlite_master').where({ type: 'trigger', tbl_name: 'demo_features' }).pluck('name');
    t.same(triggers.sort(), ['insert', 'update2', 'update4', 'update5', 'update6', 'update7', 'delete']
      .map((s) => `rtree_demo_features_geom_${s}`).sort(), 'the GeoPackage 1.4 trigger set');
  });

  t.test('the index holds every feature, filled and triggered', async (t) => {
    const rows = await rtreeRows('demo_features');
    t.equal(rows.length, FEATURES.length);
    const fids = await db('demo_features').orderBy('fid').pluck('fid');
    t.same(rows.map((r) => r.id), fids);
    // R-tree boxes are float32, rounded outwards: they contain the exact envelope within a float32 step (7.6e-6° near 116°E).
    const [point] = rows;
    t.ok(point.minx <= 116.3975 && point.maxx >= 116.3975 && point.maxx - point.minx < 2e-5, 'point box');
  });

  t.test('triggers keep the index in step', async (t) => {
    const enc = (x: number, y: number) => encodeGpkgGeometry({ type: 'Point', coordinates: [x, y] });
    const box = async (id: number) => (await rtreeRows('demo_features')).find((r) => r.id === id);
    const [fid] = await db('demo_features').insert({ name: '临时', geom: enc(121.5, 31.2) });
    t.ok((await box(fid))!.minx <= 121.5, 'INSERT adds the row (insert trigger)');
    await db('demo_features').where({ fid }).update({ geom: enc(122.5, 31.2) });
    t.ok((await box(fid))!.minx > 122.4, 'UPDATE of the geometry moves the box (update6)');
    await db('demo_features').where({ fid }).update({ geom: null });
    t.equal(await box(fid), undefined, 'UPDATE to NULL removes it (update2)');
    await db('demo_features').where({ fid }).update({ geom: enc(123.5, 31.2) });
    t.ok((await box(fid))!.minx > 123.4, 'UPDATE from NULL adds it (update7)');
    await db('demo_features').where({ fid }).update({ fid: fid + 100 });
    t.equal(await box(fid), undefined, 'id change removes the old id (update5)');
    t.ok(await box(fid + 100), 'and indexes the new one');
    await db('demo_features').where({ fid: fid + 100 }).update({ geom: encodeGpkgGeometry({ type: 'Polygon', coordinates: [] }) });
    t.equal(await box(fid + 100), undefined, 'UPDATE to an empty geometry removes it (update2)');
    await db('demo_features').where({ fid: fid + 100 }).update({ geom: enc(124.5, 31.2) });
    await db('demo_features').where({ fid: fid + 100 }).delete();
    t.equal(await box(fid + 100), undefined, 'DELETE removes it (delete trigger)');
    t.equal((await rtreeRows('demo_features')).length, FEATURES.length);
    await t.rejects(db('demo_features').insert({ name: '坏', geom: 'POINT(1 2)' }), /GeoPackage geometry BLOB/,
      'a non-blob geometry is refused by the trigger');
    await t.rejects(db('demo_features').insert({ name: '坏', geom: Buffer.from('GPxx') }), { code: 'GPKG_GEOMETRY_INVALID' });
  });

  t.test('geometries and names read back intact', async (t) => {
    const rows = await db('demo_features').orderBy('fid').select('name', 'geom');
    t.same(rows.map((r) => r.name), FEATURES.map((f) => f.name));
    t.same(rows.map((r) => decodeGpkgGeometry(r.geom)), FEATURES.map((f) => f.geometry));
  });

  t.test('bad arguments', async (t) => {
    const spec = { table: 'demo_features', column: 'geom', geometryType: 'GEOMETRY' } as const;
    await t.rejects(registerFeatureTable(db, { ...spec, table: 'x"; DROP TABLE demo_features; --' }), { code: 'GPKG_BAD_NAME' });
    await t.rejects(registerFeatureTable(db, { ...spec, table: 'gpkg_contents' }), { code: 'GPKG_BAD_NAME' });
    await t.rejects(registerFeatureTable(db, { ...spec, column: 'shape' }), { code: 'GPKG_NO_SUCH_COLUMN' });
    await t.rejects(registerFeatureTable(db, { ...spec, table: 'nowhere' }), { code: 'GPKG_NO_SUCH_COLUMN' });
    await t.rejects(registerFeatureTable(db, { ...spec, srsId: 3857 }), { code: 'GPKG_UNKNOWN_SRS' });
    await t.rejects(registerFeatureTable(db, { ...spec, geometryType: 'CURVE' as 'GEOMETRY' }), { code: 'GPKG_BAD_GEOMETRY_TYPE' });
    await t.rejects(createSpatialIndex(db, 'demo_features', 'geom', 'name'), { code: 'GPKG_BAD_PRIMARY_KEY' });
    await t.rejects(createSpatialIndex(db, 'demo_features', 'name', 'fid'), { code: 'GPKG_NOT_REGISTERED' });
    await t.rejects(updateContentsExtent(db, 'sqlite_master'), { code: 'GPKG_BAD_NAME' });
  });

  t.test('a failed transaction leaves no trace; unregister removes everything', async (t) => {
    await db.raw('CREATE TABLE scratch (fid INTEGER PRIMARY KEY, geom POLYGON)');
    await t.rejects(db.transaction(async (trx) => {
      await registerFeatureTable(trx, { table: 'scratch', column: 'geom', geometryType: 'POLYGON' });
      await createSpatialIndex(trx, 'scratch', 'geom', 'fid');
      throw new Error('roll back');
    }), /roll back/);
    t.equal((await db('gpkg_contents').where({ table_name: 'scratch' })).length, 0, 'rolled back');
    t.equal((await db('sqlite_master').where({ name: 'rtree_scratch_geom' })).length, 0, 'no rtree');

    await db.transaction(async (trx) => {
      await registerFeatureTable(trx, { table: 'scratch', column: 'geom', geometryType: 'POLYGON' });
      await createSpatialIndex(trx, 'scratch', 'geom', 'fid');
      await createSpatialIndex(trx, 'scratch', 'geom', 'fid'); // rebuilding is fine
    });
    await db.transaction(async (trx) => {
      await unregisterFeatureTable(trx, 'scratch');
      await trx.schema.dropTable('scratch');
    });
    for (const table of ['gpkg_contents', 'gpkg_geometry_columns', 'gpkg_extensions']) {
      t.equal((await db(table).where({ table_name: 'scratch' })).length, 0, `no ${table} row`);
    }
    t.equal((await db('sqlite_master').where('name', 'like', '%scratch%')).length, 0, 'no rtree, triggers or table');
  });

  // Without GDAL the check is skipped on a workstation, but CI must have it: there it fails instead.
  const version = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
  const haveGdal = version.status === 0;
  const skip = !haveGdal && !process.env.CI ? 'ogrinfo not on PATH: install gdal-bin to check the file with GDAL' : false;
  t.test('GDAL reads the file', { skip }, async (t) => {
    await db.destroy();
    closed = true;
    if (!haveGdal) {
      t.fail('ogrinfo (gdal-bin) is required when CI is set');
      return;
    }
    // GDAL 3.7 added GeoPackage 1.4; older versions open the file but warn once that 1.4 "may only be
    // partially supported". That warning, and only that one, is tolerated there.
    const [major, minor] = (/GDAL (\d+)\.(\d+)/.exec(version.stdout) ?? []).slice(1).map(Number);
    const knows14 = major > 3 || (major === 3 && minor >= 7);
    const ogrinfo = (...args: string[]) => {
      const r = spawnSync('ogrinfo', args, { encoding: 'utf8' });
      t.equal(r.status, 0, `ogrinfo ${args.join(' ')} exits 0`);
      const stderr = knows14 ? r.stderr : r.stderr.replace(/^Warning 1: This version of GeoPackage user_version=\S+ \(10400, v1\.4\.0\)[^\n]*partially supported\n/, '');
      t.equal(stderr, '', 'no GDAL warnings or errors');
      return r.stdout;
    };

    const summary = ogrinfo('-ro', '-so', file);
    t.match(summary, /using driver `GPKG' successful/);
    t.match(summary, /^\s*1: demo_features$/m, 'a GEOMETRY layer is listed without a type');
    t.match(summary, /demo_points \(Point\)/);
    t.match(summary, /demo_areas \(Multi Polygon\)/);

    const layer = ogrinfo('-ro', '-so', file, 'demo_features');
    t.match(layer, /Geometry: Unknown \(any\)/);
    t.match(layer, /Feature Count: 6/);
    t.match(layer, /Extent: \(116\.397500, 30\.193500\) - \(120\.210000, 39\.908700\)/);
    t.match(layer, /GEOGCRS\["China Geodetic Coordinate System 2000"/);
    t.match(layer, /ID\["EPSG",4490\]\]\s*$/m);
    t.match(layer, /FID Column = fid/);
    t.match(layer, /Geometry Column = geom/);

    const all = ogrinfo('-ro', '-al', file);
    for (const f of FEATURES) {
      t.ok(all.includes(`name (String) = ${f.name}`), `name ${f.name} intact`);
      t.ok(all.includes(`  ${f.wkt}\n`), `${f.geometry.type} coordinates intact`);
    }
    t.ok(all.includes('name (String) = 断桥残雪') && all.includes('POINT (120.1517 30.2598)'));

    const indexed = ogrinfo('-ro', file, '-sql', "SELECT HasSpatialIndex('demo_features','geom')");
    t.match(indexed, /HasSpatialIndex \(Integer\) = 1/);
  });
});
