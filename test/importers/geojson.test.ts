import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { makeTransformer } from '../../src/crs/index.js';
import type { Position } from '../../src/domain/types.js';
import { signedArea2 } from '../../importers/geometry.js';
import { readSource, type RawRecord } from '../../importers/index.js';
import { gbk, tempDir, readAllRecords } from '../fixtures/importers/build.js';

const DATA = new URL('../../../shared/data/', import.meta.url);
const at = (p: string) => new URL(p, DATA).pathname;
const dir = tempDir();
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const all = readAllRecords;

/** Metres between lon/lat points (local flat approximation, fine below a kilometre). */
const metres = (a: Position, b: Position) =>
  Math.hypot((a[0] - b[0]) * 111320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110540);

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value));
  return file;
}

t.test('hk-basketball-courts: 340 points, WGS84 by RFC 7946, HK1980 grid in the attributes agrees', async (tt) => {
  const src = await readSource(at('hk-basketball-courts/geodatastore.json'));
  tt.match(src, { format: 'geojson', encoding: 'utf-8', crs: { source: 'assumed', epsg: 4326 } });
  tt.ok(src.fields.some((f) => f.name === 'EASTING' && f.type === 'number'));
  const records = await all(at('hk-basketball-courts/geodatastore.json'));
  tt.equal(records.length, 340);
  const first = records[0];
  tt.match(first.properties, { NAME_TC: '北區運動場', ADDRESS_TC: '上水天平路26號' });
  tt.same(first.geometry, { type: 'Point', coordinates: [114.1306, 22.5063] });
  // SOURCE.md: 306 features carry EASTING/NORTHING; 295 reproduce LONGITUDE/LATITUDE to 1e-5°, 11 indoor
  // centres were surveyed elsewhere (up to ~40 m). Our HK1980 transform must meet the same split.
  const hk = makeTransformer('EPSG:2326');
  const graded = records.filter((r) => typeof r.properties.EASTING === 'number' && typeof r.properties.NORTHING === 'number')
    .map((r) => metres(hk(r.properties.EASTING as number, r.properties.NORTHING as number), [r.properties.LONGITUDE as number, r.properties.LATITUDE as number]));
  tt.equal(graded.length, 306);
  tt.equal(graded.filter((d) => d < 1).length, 295, 'under 1 m for 295 of 306');
  tt.ok(Math.max(...graded) < 45, `the rest within ${Math.max(...graded).toFixed(1)} m`);
});

t.test('DataV GeoJSON is GCJ-02: the crs option moves it ~500 m back onto CGCS2000', async (tt) => {
  const file = at('cn-admin-geojson-datav/citys/330100.json');
  const raw = await all(file);
  const fixed = await all(file, { crs: 'gcj02' });
  tt.equal(raw.length, 13);
  tt.equal((await readSource(file, { crs: 'GCJ-02' })).crs.label, 'GCJ-02 (国测局坐标)');
  const xihu = (rs: RawRecord[]) => rs.find((r) => r.properties.name === '西湖区')!;
  const a = (xihu(raw).geometry!.coordinates as Position[][][])[0][0][0];
  const b = (xihu(fixed).geometry!.coordinates as Position[][][])[0][0][0];
  const d = metres(a, b);
  tt.ok(d > 300 && d < 700, `offset ${d.toFixed(0)} m`);
  tt.equal(xihu(raw).properties.adcode, 330106);
});

t.test('legacy crs member: EPSG name, OGC URN, the 2008 "EPSG" form; unknown → IMPORT_UNKNOWN_CRS', async (tt) => {
  const feature = (x: number, y: number) => ({ type: 'Feature', properties: { n: 1 }, geometry: { type: 'Point', coordinates: [x, y] } });
  const fc = (crs: unknown, ...features: unknown[]) => ({ type: 'FeatureCollection', crs, features });
  const gk = write('gk.geojson', fc({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4549' } }, feature(514923.734, 3350508.87)));
  const src = await readSource(gk);
  tt.match(src.crs, { source: 'prj', epsg: 4549 });
  const [p] = await all(gk);
  tt.ok(metres(p.geometry!.coordinates as Position, [120.15509999698355, 30.27410000136057]) < 0.01, 'PostGIS pair');
  const old = write('old.geojson', fc({ type: 'EPSG', properties: { code: 3857 } }, feature(13375372.0, 3539403.6)));
  tt.match((await readSource(old)).crs, { epsg: 3857 });
  const crs84 = write('crs84.geojson', fc({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, feature(120, 30)));
  tt.match((await readSource(crs84)).crs, { epsg: 4326, source: 'prj' });
  const unknown = write('unknown.geojson', fc({ type: 'name', properties: { name: 'EPSG:31467' } }, feature(1, 2)));
  await tt.rejects(readSource(unknown), { code: 'IMPORT_UNKNOWN_CRS', message: /31467/ });
  // A crs member after the features contradicting the RFC 7946 default fails the pass, not silently.
  const late = write('late.geojson', `{"type":"FeatureCollection","features":[${JSON.stringify(feature(514923.734, 3350508.87))}],"crs":{"type":"name","properties":{"name":"EPSG:4549"}}}`);
  const lateSrc = await readSource(late);
  await tt.rejects(async () => { for await (const _ of lateSrc.records) { /* drain */ } }, { code: 'IMPORT_BAD_GEOJSON', message: /after the features/ });
});

t.test('single Feature, bare geometry, ids, z values, winding, null and empty geometries', async (tt) => {
  const single = write('single.json', { type: 'Feature', id: 'A1', properties: { 名称: '井盖' }, geometry: { type: 'Point', coordinates: [120, 30, 12.5] } });
  tt.same(await all(single), [{ row: 1, geometry: { type: 'Point', coordinates: [120, 30] }, properties: { 名称: '井盖', '@id': 'A1' } }]);
  const bare = write('bare.json', { type: 'Polygon', coordinates: [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]] });
  const [poly] = await all(bare);
  tt.ok(signedArea2((poly.geometry!.coordinates as Position[][])[0]) > 0, 'clockwise outer ring rewound to counter-clockwise');
  const mixed = write('mixed.json', {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: null, geometry: null },
      { type: 'Feature', properties: {}, geometry: { type: 'MultiPoint', coordinates: [] } },
      { type: 'Feature', properties: { a: [1, 2] }, geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] } },
    ],
  });
  const rows = await all(mixed);
  tt.same(rows.map((r) => r.geometry?.type ?? null), [null, null, 'LineString']);
  tt.same(rows[0].properties, {});
  tt.same(rows[2].properties, { a: [1, 2] });
});

t.test('gzip, GBK with the encoding option, and a BOM', async (tt) => {
  const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 名称: '消防栓' }, geometry: { type: 'Point', coordinates: [120, 30] } }] };
  const gz = write('gz.geojson.gz', gzipSync(Buffer.from(JSON.stringify(fc))));
  tt.equal((await all(gz))[0].properties.名称, '消防栓');
  const gbkFile = write('gbk.geojson', gbk(JSON.stringify(fc)));
  const detected = await readSource(gbkFile);
  tt.equal(detected.encoding, 'gbk', 'detected without the option');
  tt.equal((await all(gbkFile, { encoding: 'GB18030' }))[0].properties.名称, '消防栓');
  const bom = write('bom.geojson', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(fc))]));
  tt.equal((await all(bom))[0].properties.名称, '消防栓');
});

t.test('bad JSON, truncated JSON, not GeoJSON, bad geometry', async (tt) => {
  const fail = async (content: string, code: string, extra: Record<string, unknown> = {}) => {
    const file = write(`bad-${code}-${Math.random().toString(36).slice(2)}.geojson`, content);
    await tt.rejects(async () => {
      const src = await readSource(file);
      for await (const _ of src.records) { /* drain */ }
    }, { code, ...extra }, `${code}: ${content.slice(0, 40)}`);
  };
  await fail('{"type":"FeatureCollection","features":[{"type":"Feature",,}]}', 'IMPORT_BAD_JSON');
  await fail('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}},{"type":"Fea', 'IMPORT_TRUNCATED');
  await fail('[1,2,3]', 'IMPORT_BAD_GEOJSON');
  await fail('{"type":"Topology","objects":{}}', 'IMPORT_BAD_GEOJSON');
  await fail('{"type":"FeatureCollection","features":[1]}', 'IMPORT_BAD_GEOJSON');
  const feature = (geometry: unknown) => JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } }, { type: 'Feature', properties: {}, geometry }] });
  await fail(feature({ type: 'Point', coordinates: ['a', 2] }), 'IMPORT_BAD_GEOJSON', { row: 2, field: 'geometry' });
  await fail(feature({ type: 'Polygon', coordinates: [[1, 2], [3, 4]] }), 'IMPORT_BAD_GEOJSON', { row: 2 });
  await fail(feature({ type: 'Circle', coordinates: [1, 2] }), 'IMPORT_BAD_GEOJSON', { row: 2 });
  await fail(feature({ type: 'GeometryCollection', geometries: [] }), 'IMPORT_BAD_GEOJSON', { row: 2 });
});

t.test('streaming: a 36 MB FeatureCollection is read without holding it', async (tt) => {
  const file = join(dir, 'big.geojson');
  const feature = (i: number) => JSON.stringify({ type: 'Feature', properties: { id: `33010201010${String(i).padStart(6, '0')}`, 名称: '窨井盖'.repeat(20) }, geometry: { type: 'Polygon', coordinates: [[[120 + i * 1e-6, 30], [120.001, 30], [120.001, 30.001], [120 + i * 1e-6, 30]]] } });
  const n = 100_000;
  const parts = ['{"type":"FeatureCollection","features":['];
  for (let i = 0; i < n; i++) parts.push(i ? `,${feature(i)}` : feature(i));
  parts.push(']}');
  writeFileSync(file, parts.join(''));
  parts.length = 0;
  // Live heap, not garbage awaiting collection: collect before each measurement.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const src = await readSource(file);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  let count = 0;
  let peak = 0;
  for await (const _ of src.records) {
    if (++count % 20000 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - heap0);
    }
  }
  tt.equal(count, n);
  tt.ok(peak < 40 * 1024 * 1024, `heap growth while reading stayed at ${(peak / 1048576).toFixed(1)} MB`);
});
