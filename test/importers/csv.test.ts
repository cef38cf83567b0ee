import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Position } from '../../src/domain/types.js';
import { readSource, type RawRecord } from '../../importers/index.js';
import { gbk, tempDir, readAllRecords } from '../fixtures/importers/build.js';

const TREES = new URL('../../../shared/data/taipei-trees/', import.meta.url);
const dir = tempDir();
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const all = readAllRecords;

function write(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

t.test('taipei street trees: 91,313 rows of TWD97 TM2 (EPSG:3826), gzipped UTF-8', async (tt) => {
  const file = new URL('street_trees/2026-08-22.csv.gz', TREES).pathname;
  await tt.rejects(readSource(file), { code: 'IMPORT_NO_CRS', message: /302404\.92/ }, 'metres need a crs');
  const src = await readSource(file, { crs: 'EPSG:3826' });
  tt.match(src, { format: 'csv', encoding: 'utf-8', crs: { epsg: 3826, source: 'option' } });
  tt.notOk(src.fields.some((f) => /TWD97/.test(f.name)), 'coordinate columns become the geometry');
  let n = 0;
  let outside = 0;
  let first: RawRecord | undefined;
  for await (const r of src.records) {
    first ??= r;
    n++;
    const [lon, lat] = r.geometry!.coordinates as Position;
    if (!(lon > 121.45 && lon < 121.67 && lat > 24.95 && lat < 25.22)) outside++;
  }
  tt.equal(n, 91313);
  tt.equal(outside, 0, 'every tree in Taipei');
  // SOURCE.md: (302404.92, 2777358.41) → 121.519601 E, 25.103645 N (gdaltransform EPSG:3826→4326).
  const [lon, lat] = first!.geometry!.coordinates as Position;
  tt.ok(Math.abs(lon - 121.519601) < 1e-6 && Math.abs(lat - 25.103645) < 1e-6, `${lon}, ${lat}`);
  tt.match(first!.properties, { TreeID: 'BT0614021096', Dist: '士林區', Region: '文林路', TreeType: '榕樹' });
});

t.test('hk-basketball-courts as CSV: EASTING/NORTHING (HK1980) chosen over LATITUDE/LONGITUDE for a projected crs', async (tt) => {
  const courts: { features: Array<{ properties: Record<string, unknown> }> } = JSON.parse(
    readFileSync(new URL('../../../shared/data/hk-basketball-courts/geodatastore.json', import.meta.url), 'utf8'),
  );
  const rows = courts.features.map((f) => f.properties).filter((p) => typeof p.EASTING === 'number');
  const csv = ['NAME_TC,EASTING,NORTHING,LATITUDE,LONGITUDE', ...rows.map((p) => [p.NAME_TC, p.EASTING, p.NORTHING, p.LATITUDE, p.LONGITUDE].join(','))];
  const file = write('courts.csv', csv.join('\n'));
  const grid = await all(file, { crs: 'EPSG:2326' });
  const wgs = await all(file);
  tt.equal(grid.length, 306);
  tt.ok('LONGITUDE' in grid[0].properties && !('EASTING' in grid[0].properties), 'EASTING/NORTHING became the geometry');
  tt.ok('EASTING' in wgs[0].properties, 'without a crs, LONGITUDE/LATITUDE are used');
  const metres = (a: Position, b: Position) => Math.hypot((a[0] - b[0]) * 102_900, (a[1] - b[1]) * 110_700);
  const close = grid.filter((r, i) => metres(r.geometry!.coordinates as Position, wgs[i].geometry!.coordinates as Position) < 1);
  tt.equal(close.length, 295, 'SOURCE.md: 295 of 306 agree to 1e-5°; 11 indoor centres were surveyed elsewhere');
});

t.test('GBK with 经度/纬度 columns, detected; BOM UTF-8 with quoted delimiters and line breaks', async (tt) => {
  const gbkFile = write('gbk.csv', gbk('部件编号,名称,经度,纬度\r\n33010201010000001,太原路井盖,120.1701,30.2512\r\n33010201010000002,鹰潭路消防栓,,\r\n'));
  const src = await readSource(gbkFile);
  tt.match(src, { encoding: 'gbk', encodingSource: 'detected', crs: { source: 'assumed', epsg: 4490 } });
  const rows = await all(gbkFile);
  tt.same(rows[0], { row: 1, geometry: { type: 'Point', coordinates: [120.1701, 30.2512] }, properties: { 部件编号: '33010201010000001', 名称: '太原路井盖' } });
  tt.equal(rows[1].geometry, null, 'blank coordinates: no geometry, for validation to report');

  const bom = write('bom.csv', '\uFEFFid,name,lng,lat\n1,"Road, ""A""\nnorth side",120.5,30.5\n');
  const [r] = await all(bom);
  tt.match(await readSource(bom), { encoding: 'utf-8', encodingSource: 'bom' });
  tt.same(r.properties, { id: '1', name: 'Road, "A"\nnorth side' });
});

t.test('delimiters, explicit columns, GCJ-02, x/y holding degrees', async (tt) => {
  const semi = write('semi.csv', 'name;X;Y\na;120,25;30,5\n');
  tt.same((await all(semi))[0].geometry, { type: 'Point', coordinates: [120.25, 30.5] }, 'semicolons with decimal commas');
  const tabs = write('tabs.tsv', 'name\tPOINT_X\tPOINT_Y\na\t120.1\t30.1\n');
  tt.same((await all(tabs))[0].geometry, { type: 'Point', coordinates: [120.1, 30.1] });
  const odd = write('odd.csv', 'name,东经,北纬\na,120.1,30.1\n');
  await tt.rejects(readSource(odd), { code: 'IMPORT_CSV_NO_COORDINATES', message: /东经/ });
  tt.same((await all(odd, { csv: { x: '东经', y: '北纬' } }))[0].geometry, { type: 'Point', coordinates: [120.1, 30.1] });
  const gcj = write('gcj.csv', 'name,gcj02_lng,gcj02_lat\n驻马店,114.022306,33.0115324\n');
  const [lon, lat] = (await all(gcj, { crs: 'gcj02' }))[0].geometry!.coordinates as Position;
  tt.ok(Math.abs(lon - 114.0164322) < 1e-5 && Math.abs(lat - 33.0133556) < 1e-5, 'gcoord 驻马店 WGS84');
});

t.test('shifted columns, malformed quotes', async (tt) => {
  const shifted = write('shifted.csv', 'id,name,lon,lat\n1,a,120.1,30.1\n2,b,c,120.2,30.2\n3,d,120.3,30.3\n');
  const src = await readSource(shifted);
  const got: number[] = [];
  await tt.rejects(async () => { for await (const r of src.records) got.push(r.row); }, { code: 'IMPORT_CSV_SHIFTED', row: 2, message: /Row 2 \(line 3\) has 5 fields but the header has 4/ });
  tt.same(got, [1], 'rows before the bad one were delivered');
  const quote = write('quote.csv', 'id,name,lon,lat\n1,"unclosed,120.1,30.1\n');
  await tt.rejects(async () => { for await (const _ of (await readSource(quote)).records) { /* drain */ } }, { code: 'IMPORT_BAD_CSV' });
});

t.test('a WKT column: lines and polygons with holes, projected WKT transformed, bad WKT names its row', async (tt) => {
  const polygon = 'POLYGON ((120.1 30.1, 120.2 30.1, 120.2 30.2, 120.1 30.2, 120.1 30.1), (120.12 30.12, 120.14 30.12, 120.14 30.14, 120.12 30.12))';
  const file = write('grids-wkt.csv', `\uFEFFBGCODE,BGNAME,WKT\r\n330102001001001,"第001网格","${polygon}"\r\n330102001001002,第002网格,"MULTILINESTRING Z ((120.1 30.1 5, 120.3 30.3 6))"\r\n330102001001003,空,\r\n`);
  const src = await readSource(file);
  tt.match(src, { format: 'csv', encoding: 'utf-8', crs: { epsg: 4490 } });
  tt.same(src.fields.map((f) => f.name), ['BGCODE', 'BGNAME'], 'the WKT column becomes the geometry');
  const rows = await all(file);
  tt.same(rows[0].geometry, {
    type: 'Polygon',
    coordinates: [[[120.1, 30.1], [120.2, 30.1], [120.2, 30.2], [120.1, 30.2], [120.1, 30.1]], [[120.12, 30.12], [120.14, 30.12], [120.14, 30.14], [120.12, 30.12]]],
  });
  tt.same(rows[1].geometry, { type: 'MultiLineString', coordinates: [[[120.1, 30.1], [120.3, 30.3]]] }, 'z dropped');
  tt.equal(rows[2].geometry, null, 'a blank WKT cell is a row without geometry (validation reports it)');
  tt.same(rows[0].properties, { BGCODE: '330102001001001', BGNAME: '第001网格' });

  // CGCS2000 3° GK zone 40 (EPSG:4528, false easting 40,500,000): metres in, degrees out.
  const gk = write('gk-wkt.csv', 'name,geometry\na,POINT (40500000 3320000)\n');
  await tt.rejects(readSource(gk), { code: 'IMPORT_NO_CRS' }, 'metres in a WKT column need a crs');
  const [p] = await all(gk, { crs: 'EPSG:4528' });
  const [lon, lat] = p.geometry!.coordinates as Position;
  tt.ok(Math.abs(lon - 120) < 1e-9 && lat > 29.9 && lat < 30.1, `central meridian point → ${lon}, ${lat}`);

  const bad = write('bad-wkt.csv', 'name,WKT\na,POINT (120.1 30.1)\nb,"POLYGON ((120.1 30.1, 120.2"\n');
  const got: number[] = [];
  await tt.rejects(async () => { for await (const r of (await readSource(bad)).records) got.push(r.row); },
    { code: 'IMPORT_CSV_BAD_WKT', row: 2, field: 'WKT', message: /Row 2: the WKT value cannot be read as WKT/ });
  tt.same(got, [1]);
});
