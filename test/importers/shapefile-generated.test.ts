import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { readSource, type RawRecord } from '../../importers/index.js';
import { gbk, makeShapefile, tempDir, type DbfFieldSpec, readAllRecords } from '../fixtures/importers/build.js';

/** Hand-made shapefiles for the cases real data does not cover; generated into a temp folder. */
const dir = tempDir();
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const codes = (warnings: Array<{ code: string }>) => warnings.map((w) => w.code);

const all = readAllRecords;

const square = (x: number, y: number, s: number, clockwise: boolean): Array<[number, number]> => {
  const ring: Array<[number, number]> = [[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]];
  return clockwise ? ring : ring.reverse();
};

t.test('polygons: holes, an island in a lake, multi-part, RFC 7946 winding', async (tt) => {
  // Shapefile rule: outer rings clockwise, holes counter-clockwise.
  const file = makeShapefile(dir, 'rings', {
    kind: 'polygon',
    shapes: [
      { parts: [square(120, 30, 1, true), square(120.25, 30.25, 0.5, false)] },
      { parts: [square(120, 30, 1, true), square(120.2, 30.2, 0.6, false), square(120.4, 30.4, 0.2, true), square(122, 30, 1, true)] },
      // A writer that got the orientation backwards: a lone counter-clockwise ring is still a polygon.
      { parts: [square(121, 31, 1, false)] },
    ],
  });
  const [withHole, nested, backwards] = await all(file);
  tt.same(withHole.geometry, {
    type: 'Polygon',
    coordinates: [square(120, 30, 1, false), square(120.25, 30.25, 0.5, true)],
  });
  tt.equal(nested.geometry?.type, 'MultiPolygon');
  const parts = (nested.geometry as { coordinates: unknown[][] }).coordinates;
  tt.equal(parts.length, 3, 'outer with lake, island in the lake, separate square');
  tt.equal(parts[0].length, 2, 'the lake is a hole of the big square');
  tt.same(parts[1], [square(120.4, 30.4, 0.2, false)], 'the island is its own polygon, counter-clockwise');
  tt.same(backwards.geometry, { type: 'Polygon', coordinates: [square(121, 31, 1, false)] });
});

t.test('lines, multipoints, null shapes, unclosed rings', async (tt) => {
  const lines = makeShapefile(dir, 'lines', { kind: 'line', shapes: [{ parts: [[[1, 2], [3, 4]]] }, { parts: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] }, null] });
  const [one, two, none] = await all(lines);
  tt.same(one.geometry, { type: 'LineString', coordinates: [[1, 2], [3, 4]] });
  tt.same(two.geometry, { type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] });
  tt.equal(none.geometry, null);
  const open = makeShapefile(dir, 'open', { kind: 'polygon', shapes: [{ parts: [[[0, 0], [0, 1], [1, 1], [1, 0]]] }] });
  tt.same((await all(open))[0].geometry, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] }, 'closed and rewound');
});

const FIELDS: DbfFieldSpec[] = [
  { name: 'OBJID', type: 'N', length: 17 },
  { name: '名称', type: 'C', length: 40 },
  { name: 'ORDATE', type: 'D', length: 8 },
  { name: 'OK', type: 'L', length: 1 },
  { name: 'AREA', type: 'N', length: 12, decimals: 3 },
];
const ROWS = [
  ['33010201010000001', '上城区太原路窨井盖', '20230115', true, 12.5],
  ['33010201010000002', '鹰潭路双鸭山消防栓', '        ', false, null],
];

t.test('GBK attributes: by .cpg, by language byte, by detection; field names in GBK too', async (tt) => {
  const point = { point: [120.17, 30.25] as [number, number] };
  const cases = [
    ['cpg', makeShapefile(dir, 'gbk-cpg', { kind: 'point', shapes: [point, point], fields: FIELDS, rows: ROWS, encode: gbk, cpg: '936' }), 'cpg'],
    ['ldid', makeShapefile(dir, 'gbk-ldid', { kind: 'point', shapes: [point, point], fields: FIELDS, rows: ROWS, encode: gbk, ldid: 0x4d }), 'ldid'],
    ['detected', makeShapefile(dir, 'gbk-none', { kind: 'point', shapes: [point, point], fields: FIELDS, rows: ROWS, encode: gbk }), 'detected'],
  ] as const;
  for (const [what, file, source] of cases) {
    const src = await readSource(file);
    tt.match(src, { encoding: 'gbk', encodingSource: source }, what);
    const rows = [];
    for await (const r of src.records) rows.push(r);
    tt.same(rows[0].properties, { OBJID: '33010201010000001', 名称: '上城区太原路窨井盖', ORDATE: '2023-01-15', OK: true, AREA: 12.5 }, `${what}: values`);
    tt.same(rows[1].properties, { OBJID: '33010201010000002', 名称: '鹰潭路双鸭山消防栓', ORDATE: null, OK: false, AREA: null }, `${what}: blanks are null`);
  }
});

t.test('a .cpg naming an unknown code page is reported and detection takes over', async (tt) => {
  const file = makeShapefile(dir, 'odd-cpg', { kind: 'point', shapes: [{ point: [1, 2] }], fields: FIELDS, rows: ROWS.slice(0, 1), encode: gbk, cpg: 'EBCDIC-CN-9999' });
  const src = await readSource(file);
  tt.equal(src.encoding, 'gbk');
  tt.ok(codes(src.warnings).includes('IMPORT_CPG_IGNORED'));
});

t.test('CRS: .prj, option overriding it, missing .prj, unknown .prj', async (tt) => {
  const pt = (x: number, y: number) => ({ point: [x, y] as [number, number] });
  const gk = 'PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
  // The PostGIS pair for EPSG:4549 (test/fixtures/importers/crs/crs-pairs.json).
  const projected = makeShapefile(dir, 'gk', { kind: 'point', shapes: [pt(514923.734, 3350508.87)], prj: gk });
  const src = await readSource(projected);
  tt.match(src.crs, { source: 'prj', epsg: 4549, label: 'CGCS2000 / 3-degree Gauss-Kruger CM 120E' });
  const [p] = (await all(projected))[0].geometry!.coordinates as number[];
  tt.ok(Math.abs(p - 120.15509999698355) < 1e-9);

  const noPrj = makeShapefile(dir, 'noprj', { kind: 'point', shapes: [pt(514923.734, 3350508.87)], prj: null });
  await tt.rejects(readSource(noPrj), { code: 'IMPORT_NO_CRS', message: /514923\.734/ });
  tt.match((await readSource(noPrj, { crs: 'EPSG:4549' })).crs, { source: 'option', epsg: 4549 });

  const lambert = 'PROJCS["Asia_Lambert_Conformal_Conic",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["Central_Meridian",105.0],UNIT["Meter",1.0]]';
  const unknown = makeShapefile(dir, 'lambert', { kind: 'point', shapes: [pt(1, 2)], prj: lambert });
  await tt.rejects(readSource(unknown), { code: 'IMPORT_UNKNOWN_CRS', message: /Lambert_Conformal_Conic/ });
  const overridden = await readSource(unknown, { crs: 'wgs84' });
  tt.ok(codes(overridden.warnings).includes('IMPORT_CRS_OVERRIDDEN'));

  const gcj = makeShapefile(dir, 'gcj', { kind: 'point', shapes: [pt(114.022306, 33.0115324)], prj: null });
  const fromGcj = (await all(gcj, { crs: 'gcj02' }))[0].geometry!.coordinates as number[];
  tt.ok(Math.abs(fromGcj[0] - 114.0164322) < 1e-5 && Math.abs(fromGcj[1] - 33.0133556) < 1e-5, 'GCJ-02 → CGCS2000 (gcoord 驻马店)');
  await tt.rejects(readSource(gcj, { crs: 'EPSG:123456' }), { code: 'IMPORT_UNKNOWN_CRS' });

  const xian = makeShapefile(dir, 'xian', { kind: 'point', shapes: [pt(40514926.0, 3350503.0)], prj: null });
  tt.ok(codes((await readSource(xian, { crs: 'EPSG:2364' })).warnings).includes('IMPORT_DATUM_UNSHIFTED'));
});

t.test('a component id stored as N(17,0) keeps every digit; deleted records are read and reported', async (tt) => {
  const file = makeShapefile(dir, 'deleted', {
    kind: 'point',
    shapes: [{ point: [1, 2] }, { point: [3, 4] }],
    fields: FIELDS,
    rows: ROWS,
    mutate: (f) => {
      const dbf = Buffer.from(f.dbf!);
      dbf[dbf.readUInt16LE(8)] = 0x2a; // first record's deletion flag
      return { ...f, dbf };
    },
  });
  const src = await readSource(file);
  const rows = [];
  for await (const r of src.records) rows.push(r);
  tt.equal(rows[0].properties.OBJID, '33010201010000001', 'not 33010201010000000 as a double would give');
  tt.match(src.warnings.find((w) => w.code === 'IMPORT_DELETED_RECORDS'), { message: /^1 record is marked deleted/ });
});

t.test('stopping early closes the files; a source can be read twice', async (tt) => {
  const file = makeShapefile(dir, 'many', { kind: 'point', shapes: Array.from({ length: 1000 }, (_, i) => ({ point: [i / 10, 1] as [number, number] })) });
  const src = await readSource(file);
  for await (const r of src.records) if (r.row === 3) break;
  let n = 0;
  for await (const _ of src.records) n++;
  tt.equal(n, 1000);
  writeFileSync(join(dir, 'many.shp'), Buffer.alloc(0)); // would fail on Windows with a handle left open
});
