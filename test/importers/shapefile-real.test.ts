import t from 'tap';
import type { Geometry, Position } from '../../src/domain/types.js';
import { signedArea2 } from '../../importers/geometry.js';
import { readSource, type RawRecord, type Source } from '../../importers/index.js';

// Real third-party shapefiles, read in place (see each folder's SOURCE.md).
const DATA = new URL('../../../shared/data/', import.meta.url);
const at = (p: string) => new URL(p, DATA).pathname;

async function all(source: Source): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of source.records) out.push(r);
  return out;
}

const byName = (records: RawRecord[], field: string) => new Map(records.map((r) => [r.properties[field], r]));

/** RFC 7946: outer rings counter-clockwise, holes clockwise (zero-area slivers exempt). */
function windingOk(g: Geometry | null): boolean {
  const polys: Position[][][] = g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : [];
  return polys.every((rings) => rings.every((r, i) => signedArea2(r) === 0 || (signedArea2(r) > 0) === (i === 0)));
}

t.test('cn-admin-gbk-shp BOUNT_poly: 3407 counties, GBK without .cpg or language byte', async (tt) => {
  const src = await readSource(at('cn-admin-gbk-shp/BOUNT_poly.shp'));
  tt.equal(src.encoding, 'gbk');
  tt.equal(src.encodingSource, 'detected');
  tt.match(src.warnings, [{ code: 'IMPORT_ENCODING_GUESSED' }]);
  tt.match(src.crs, { source: 'prj', epsg: 4326 });
  const records = await all(src);
  tt.equal(records.length, 3407);
  const names = byName(records, 'NAME99');
  for (const [code, name] of [['232723', '漠河县'], ['232722', '塔河县'], ['152106', '额尔古纳市'], ['330101', '杭州市市辖区'], ['330181', '萧山市']]) {
    tt.equal(names.get(name)?.properties.ADCODE99, code, name);
  }
  tt.equal(records.filter((r) => r.properties.NAME99 === null).length, 41, '41 records with an empty name (SOURCE.md)');
  tt.ok(records.every((r) => r.geometry && /Polygon$/.test(r.geometry.type)), 'all polygons');
  tt.ok(records.every((r) => windingOk(r.geometry)), 'RFC 7946 winding everywhere');
  tt.same(src.fields.map((f) => f.name), ['AREA', 'PERIMETER', 'BOUNT_', 'BOUNT_ID', 'GBCODE', 'ADCODE99', 'NAME99', 'SH2', 'DI2', 'X2', 'CENTROID_Y', 'CENTROID_X']);
});

t.test('cn-admin-gbk-shp BOUL_X: LDID 0x4D and a CGCS2000 .prj', async (tt) => {
  const src = await readSource(at('cn-admin-gbk-shp/BOUL_X.shp'));
  tt.match(src, { encoding: 'gbk', encodingSource: 'ldid', crs: { source: 'prj', epsg: 4490, label: 'China Geodetic Coordinate System 2000' } });
  const records = await all(src);
  tt.equal(records.length, 21871);
  const names = byName(records, 'NAME');
  tt.equal(names.get('景洪市')?.properties.PAC, 532801);
  tt.equal(names.get('勐海县')?.properties.PAC, 532822);
  tt.equal(names.get('澜沧拉祜族自治县')?.properties.PAC, 530828);
  // 585 records are null shapes (ogrinfo agrees: OGR_GEOMETRY IS NULL counts 585); the rest are lines.
  tt.equal(records.filter((r) => r.geometry === null).length, 585);
  tt.ok(records.every((r) => r.geometry === null || r.geometry.type === 'LineString'));
});

t.test('cn-admin-gbk-shp bou2_4p and the GBK-that-is-valid-UTF-8 trap in res1/res2 (no .prj)', async (tt) => {
  const provinces = await all(await readSource(at('cn-admin-gbk-shp/bou2_4p.shp')));
  tt.equal(provinces.length, 925);
  tt.ok(byName(provinces, 'NAME').has('黑龙江省') && byName(provinces, 'NAME').has('内蒙古自治区'));
  const capitals = await readSource(at('cn-admin-gbk-shp/res1_4m.shp'));
  tt.equal(capitals.encoding, 'gbk');
  tt.match(capitals.crs, { source: 'assumed', epsg: 4490 });
  tt.match(capitals.warnings, [{ code: 'IMPORT_ENCODING_GUESSED' }, { code: 'IMPORT_CRS_ASSUMED' }]);
  const caps = byName(await all(capitals), 'NAME');
  tt.equal(caps.size, 34);
  tt.ok(caps.has('太原'), '太原 (CC AB D4 AD, also valid UTF-8)');
  tt.same(caps.get('北京')?.geometry, { type: 'Point', coordinates: [116.38094329833984, 39.923614501953125] });
  const seats = await all(await readSource(at('cn-admin-gbk-shp/res2_4m.shp')));
  tt.equal(seats.length, 331);
  const cities = byName(seats, 'NAME');
  for (const name of ['双鸭山', '鹰潭', '思茅', '景德镇']) tt.ok(cities.has(name), name);
});

t.test('shp-encoding-edge-cases: Big5-HKSCS without .shx or .prj', async (tt) => {
  await tt.rejects(readSource(at('shp-encoding-edge-cases/hk-dcca-big5/dcca.shp')), { code: 'IMPORT_NO_CRS' }, 'metres without .prj');
  const src = await readSource(at('shp-encoding-edge-cases/hk-dcca-big5/dcca.shp'), { crs: 'EPSG:2326' });
  tt.match(src, { encoding: 'big5', encodingSource: 'ldid', crs: { source: 'option', epsg: 2326 } });
  tt.match(src.warnings, [{ code: 'IMPORT_NO_SHX' }]);
  const records = await all(src);
  tt.equal(records.length, 390);
  const names = new Map(records.map((r) => [r.properties.DCCA, r.properties.DCCA_CHIN]));
  tt.equal(names.get('3515'), '沙打');
  tt.equal(names.get('3618'), '船灣');
  tt.equal(names.get('3619'), '西貢北');
  // Hong Kong Supplementary Character Set: plain Big5/CP950 (Node's own decoder) gives private-use characters.
  const chin = new Set(records.map((r) => r.properties.DCCA_CHIN));
  for (const name of ['葵涌邨', '鴨脷洲北', '鰂魚涌', '錦綉花園', '康栢']) tt.ok(chin.has(name), `HKSCS: ${name}`);
  tt.ok([...chin].every((v) => !/[\uE000-\uF8FF\uFFFD]/.test(String(v))), 'no private-use or replacement characters');
  const inHongKong = records.every((r) => JSON.stringify(r.geometry).match(/-?\d+\.\d+/g)!.map(Number)
    .every((v, i) => (i % 2 === 0 ? v > 113.8 && v < 114.51 : v > 22.1 && v < 22.6)));
  tt.ok(inHongKong, 'every vertex lands in Hong Kong');
});

t.test('shp-encoding-edge-cases: UTF-8 without .cpg, and text damaged upstream', async (tt) => {
  const china = await readSource(at('shp-encoding-edge-cases/cn-utf8-no-cpg/china.shp'));
  tt.match(china, { encoding: 'utf-8', encodingSource: 'detected' });
  const records = await all(china);
  tt.equal(records.length, 1367);
  tt.match(records[0].properties, { FCNAME: '黑龙江省', FENAME: 'Heilongjiang Sheng', OWNER: '黑龙江省', SOC: 'CHN' });
  tt.ok(records.some((r) => r.properties.FCNAME === '内蒙古自治区'));
  // The explicit option overrides detection (and here produces the mojibake it should).
  const forced = await readSource(at('shp-encoding-edge-cases/cn-utf8-no-cpg/china.shp'), { encoding: 'gbk' });
  tt.match(forced, { encoding: 'gbk', encodingSource: 'option' });
  tt.not((await all(forced))[0].properties.FCNAME, '黑龙江省');

  const rivers = await readSource(at('shp-encoding-edge-cases/cn-prebroken-text/rivers.shp'));
  tt.equal(rivers.encoding, 'utf-8');
  const rows = await all(rivers);
  tt.equal(rows.length, 594);
  tt.equal(rows.filter((r) => String(r.properties.NAME).includes('\uFFFD')).length, 573);
  tt.match(rivers.warnings, [{ code: 'IMPORT_TEXT_DAMAGED' }, { code: 'IMPORT_TEXT_DAMAGED', field: 'NAME', message: /573 of 594/ }]);
  await all(rivers);
  tt.equal(rivers.warnings.length, 2, 'a second pass adds no duplicate warnings');
});
