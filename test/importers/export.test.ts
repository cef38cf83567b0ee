import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import t, { type Test } from 'tap';
import { openStore, type Store } from '../../src/store/connect.js';
import { writeCity } from '../../src/store/city-writer.js';
import { readFeatures } from '../../src/store/layer-io.js';
import { decodeGpkgGeometry } from '../../src/store/gpkg-geometry.js';
import type { Geometry } from '../../src/domain/types.js';
import { openGazetteer } from '../../src/domain/gazetteer.js';
import { importLayer } from '../../importers/import.js';
import { resolveImportLayer, toFeature, IMPORT_LAYERS, type ImportLayerName, type StoredFeature } from '../../importers/import-layers.js';
import { mapRecords, resolveMapping } from '../../importers/field-mapping.js';
import { rewind } from '../../importers/geometry.js';
import { readSource, type RawRecord } from '../../importers/index.js';
import { exportLayer, writerInput, writeShapefile } from '../../importers/export/index.js';
import { EXPORT_FIELDS } from '../../importers/export/schema.js';
import { exportCommand, type CommandIo } from '../../importers/cli-commands.js';
import { testStores } from '../helpers/stores.js';
import { demo, demoStoreForTest, tmpDir } from '../helpers/census-fixtures.js';

// `wanmi export`: every layer of the demo city (scale 0.05) in every format, (a) read back by Wanmi's own
// importer to the same features, (b) read by GDAL's ogrinfo with the right count, geometry type, CGCS2000
// and Chinese text. Missing ogrinfo skips (b) only outside CI.
const hasOgr = spawnSync('ogrinfo', ['--version']).status === 0;
const ogrSkip = !hasOgr && !process.env.CI ? 'ogrinfo not installed' : false;
const LAYERS = Object.keys(IMPORT_LAYERS) as ImportLayerName[];
const { city, classes } = demo();
const gazetteer = openGazetteer();
t.teardown(() => gazetteer.close());

/** Positions of a geometry in RFC 7946 winding, flattened. */
function positions(g: Geometry): number[] {
  return (rewind(g).coordinates as unknown[]).flat(4) as number[];
}

/** Features the importer makes of a file: read, map (census names, no mapping file), to stored rows. */
async function reread(file: string, layer: ImportLayerName): Promise<StoredFeature[]> {
  const source = await readSource(file);
  try {
    return await mapped(source.records, layer, source.format === 'geojson' ? undefined : source.fields.map((f) => f.name));
  } finally {
    await source.close();
  }
}

async function mapped(records: AsyncIterable<RawRecord>, layer: ImportLayerName, fields?: string[]): Promise<StoredFeature[]> {
  const { mappable } = resolveImportLayer(layer)!;
  const out: StoredFeature[] = [];
  for await (const row of mapRecords(mappable, records, {}, fields ? { fields } : {}).rows) {
    if (row.problems.length > 0) throw new Error(`row ${row.row}: ${row.problems.map((p) => p.message).join('; ')}`);
    out.push(toFeature(mappable, row.value));
  }
  return out;
}

/** A GeoPackage export's rows as raw records (Wanmi's importer reads no GeoPackage files). */
async function* gpkgRecords(file: string, table: string): AsyncGenerator<RawRecord> {
  const db = new Database(file, { readonly: true });
  try {
    let row = 0;
    for (const r of db.prepare(`SELECT * FROM "${table}" ORDER BY fid`).iterate() as Iterable<Record<string, unknown>>) {
      const { fid: _fid, geom, ...properties } = r;
      yield { row: ++row, geometry: decodeGpkgGeometry(geom as Uint8Array), properties };
    }
  } finally {
    db.close();
  }
}

/**
 * The same features: keys in the same order, every exported field equal, vertices within 1e-7°, extras
 * equal as text (CSV has no types; a shapefile cuts names to 10 bytes, so `names` maps them).
 */
function sameFeatures(t: Test, layer: ImportLayerName, got: StoredFeature[], want: StoredFeature[], extras: 'exact' | 'text' | 'none') {
  const codec = IMPORT_LAYERS[layer].codec as unknown as { keyOf(f: StoredFeature): string };
  t.same(got.map((f) => codec.keyOf(f)), want.map((f) => codec.keyOf(f)), `${layer}: same keys in order`);
  const fields = EXPORT_FIELDS[layer];
  let fieldDiffs = 0;
  let worst = 0;
  let extraDiffs = 0;
  got.forEach((g, i) => {
    const w = want[i];
    for (const field of fields) if (JSON.stringify(field.value(g) ?? null) !== JSON.stringify(field.value(w) ?? null)) fieldDiffs++;
    const [a, b] = [positions(g.geometry), positions(w.geometry)];
    if (a.length !== b.length) worst = Infinity;
    else a.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - b[k]))));
    if (extras === 'none') return;
    const text = (e: unknown) => Object.entries((e ?? {}) as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k}=${extras === 'text' ? String(v) : JSON.stringify(v)}`).sort().join(';');
    if (text(g.extra) !== text(w.extra)) extraDiffs++;
  });
  t.equal(fieldDiffs, 0, `${layer}: every census field equal (Chinese text included)`);
  t.ok(worst <= 1e-7, `${layer}: vertices within 1e-7° (worst ${worst})`);
  if (extras !== 'none') t.equal(extraDiffs, 0, `${layer}: extras kept`);
}

function ogrinfo(args: string[]): string {
  const run = spawnSync('ogrinfo', ['-ro', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`ogrinfo ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

const GDAL_TYPES: Record<string, string> = { point: 'Point', line: 'Line String', polygon: 'Polygon' };

t.test('every export field name is a census alias of its target', async (t) => {
  for (const layer of LAYERS) {
    const { mappable } = resolveImportLayer(layer)!;
    const names = EXPORT_FIELDS[layer].map((f) => f.name);
    const { columns, unmapped } = resolveMapping(mappable, names);
    t.same(unmapped, [], `${layer}: every exported field is taken by a target`);
    t.ok(names.every((n) => Buffer.byteLength(n) <= 10 && /^[\x20-\x7e]+$/.test(n)), `${layer}: ASCII names of ≤ 10 bytes`);
    t.equal(Object.values(columns).filter(Boolean).length, names.length, `${layer}: one target each`);
  }
});

for (const factory of testStores()) {
  t.test(`${factory.kind} store: every layer, every format`, async (t) => {
    const { store, dir } = await demoStoreForTest(t, factory);
    const stored = new Map<ImportLayerName, StoredFeature[]>();
    for (const layer of LAYERS) stored.set(layer, await readFeatures(store.db, IMPORT_LAYERS[layer].codec as never));
    const out = (layer: string, name: string) => path.join(dir, `${layer}-${name}`);
    const run = (layer: ImportLayerName, format: string, file: string, encoding?: string) =>
      exportLayer(store.db, { layer, format, out: file, ...(encoding ? { encoding } : {}) });

    t.test('GeoJSON: re-imports to the same features; re-importing it changes nothing', async (t) => {
      for (const layer of LAYERS) {
        const file = out(layer, 'all.geojson');
        const r = await run(layer, 'geojson', file);
        t.equal(r.count, stored.get(layer)!.length);
        const json = JSON.parse(readFileSync(file, 'utf8'));
        t.match(json, { type: 'FeatureCollection', crs: { properties: { name: 'urn:ogc:def:crs:EPSG::4490' } } });
        sameFeatures(t, layer, await reread(file, layer), stored.get(layer)!, 'exact');
      }
      // The whole import pipeline agrees: the export of the components layer, imported, is a no-op.
      const r = await importLayer(store, out('components', 'all.geojson'), { layer: 'components', gazetteer, validation: { today: '2030-01-01' } });
      t.match(r, { state: 'unchanged', summary: { unchanged: city.components.length } });
    });

    t.test('CSV: UTF-8 with BOM; point layers as lon/lat, others as WKT; every layer re-imports', async (t) => {
      for (const layer of LAYERS) {
        const file = out(layer, 'all.csv');
        await run(layer, 'csv', file);
        const text = readFileSync(file, 'utf8');
        t.equal(text.charCodeAt(0), 0xfeff, `${layer}: BOM`);
        const header = text.slice(1, text.indexOf('\r\n')).split(',');
        if (layer === 'addresses') t.same(header.slice(-2), ['lon', 'lat']);
        else t.equal(header.at(-1), 'WKT', `${layer}: WKT column`);
        sameFeatures(t, layer, await reread(file, layer), stored.get(layer)!, 'none');
      }
      const noop = await importLayer(store, out('grids', 'all.csv'), { layer: 'grids', gazetteer, validation: { today: '2030-01-01' } });
      t.match(noop, { state: 'unchanged' }, 'the grids CSV (WKT polygons) imported changes nothing');
    });

    t.test('shapefile (GBK and UTF-8): re-imports to the same features', async (t) => {
      for (const encoding of ['gbk', 'utf-8']) {
        for (const layer of LAYERS) {
          const r = await run(layer, 'shp', out(layer, `${encoding}.shp`), encoding);
          const shps = r.files.filter((f) => f.endsWith('.shp'));
          const got: StoredFeature[] = [];
          for (const shp of shps) {
            const source = await readSource(shp);
            t.match(source, { encoding: encoding === 'gbk' ? 'gbk' : 'utf-8', encodingSource: 'cpg', crs: { epsg: 4490, source: 'prj' } });
            await source.close();
            got.push(...(await reread(shp, layer)));
          }
          const key = (f: StoredFeature) => (IMPORT_LAYERS[layer].codec as unknown as { keyOf(f: StoredFeature): string }).keyOf(f);
          got.sort((a, b) => (key(a) < key(b) ? -1 : 1));
          // Extras keep their values; names longer than 10 bytes are cut (toiletClass → toiletClas).
          const cut = stored.get(layer)!.map((f) => (f.extra ? { ...f, extra: Object.fromEntries(Object.entries(f.extra as object).map(([k, v]) => [k.slice(0, 10), v])) } : f));
          sameFeatures(t, layer, got, cut, layer === 'components' ? 'exact' : 'none');
          if (layer === 'components') {
            t.same(shps.map((f) => path.basename(f)), ['point', 'line', 'polygon'].map((f) => `components-${encoding}_${f}.shp`), 'one shapefile per family');
            t.match(r.warnings, [/toiletClass is named toiletClas/]);
          }
        }
      }
      const dbf = readFileSync(out('grids', 'gbk.dbf'));
      t.equal(dbf[29], 0x4d, 'GBK: language driver 0x4D (code page 936)');
      t.equal(readFileSync(out('grids', 'gbk.cpg'), 'latin1'), 'GBK');
      t.equal(readFileSync(out('grids', 'utf-8.cpg'), 'latin1'), 'UTF-8');
      // Text fields are as wide as their longest value in the encoding's bytes, not 254.
      const nameWidth = (buf: Buffer) => buf[32 + 32 * 1 + 16];
      const longest = (bytes: (s: string) => number) => Math.max(...city.grids.map((g) => bytes(g.name)));
      t.equal(nameWidth(dbf), longest((s) => iconv.encode(s, 'gbk').length), 'BGNAME: its longest value in GBK bytes');
      t.equal(nameWidth(readFileSync(out('grids', 'utf-8.dbf'))), longest((s) => Buffer.byteLength(s)), 'BGNAME: UTF-8 bytes');
      const noop = await importLayer(store, out('grids', 'gbk.shp'), { layer: 'grids', gazetteer, validation: { today: '2030-01-01' } });
      t.match(noop, { state: 'unchanged' }, 'the GBK grids shapefile imported changes nothing');
    });

    t.test('GeoPackage: one feature table with the census columns, the same features', async (t) => {
      for (const layer of LAYERS) {
        const file = out(layer, 'all.gpkg');
        await run(layer, 'gpkg', file);
        const table = IMPORT_LAYERS[layer].codec.table;
        const db = new Database(file, { readonly: true });
        const tables = db.prepare('SELECT table_name, srs_id FROM gpkg_contents').all();
        const rtree = db.prepare(`SELECT count(*) AS n FROM "rtree_${table}_geom"`).get() as { n: number };
        db.close();
        t.same(tables, [{ table_name: table, srs_id: 4490 }], `${layer}: one layer, EPSG:4490`);
        t.equal(rtree.n, stored.get(layer)!.length, `${layer}: every feature in the R-tree`);
        sameFeatures(t, layer, await mapped(gpkgRecords(file, table), layer), stored.get(layer)!, 'exact');
      }
    });

    t.test('GDAL reads every export: count, geometry type, CGCS2000, Chinese text', { skip: ogrSkip }, async (t) => {
      const zone = city.zones[0];
      const cases: Array<[string, string[], string, string | null, boolean]> = [
        // [file, open options, geometry type, EPSG expected, zone name expected]
        [out('zones', 'gbk.shp'), [], 'Polygon', '4490', true],
        [out('zones', 'utf-8.shp'), [], 'Polygon', '4490', true],
        [out('zones', 'all.geojson'), [], 'Polygon', '4490', true],
        [out('zones', 'all.gpkg'), [], 'Multi Polygon', '4490', true],
        [out('zones', 'all.csv'), [], 'Unknown (any)', null, true],
        [out('addresses', 'all.csv'), ['-oo', 'X_POSSIBLE_NAMES=lon', '-oo', 'Y_POSSIBLE_NAMES=lat'], 'Point', null, false],
        [out('components', 'gbk_point.shp'), [], GDAL_TYPES.point, '4490', false],
        [out('components', 'gbk_line.shp'), [], GDAL_TYPES.line, '4490', false],
        [out('roads', 'utf-8.shp'), [], GDAL_TYPES.line, '4490', false],
      ];
      for (const [file, oo, type, epsg, zoneName] of cases) {
        const name = path.basename(file);
        const summary = ogrinfo(['-al', '-so', ...oo, file]);
        const expected = name.startsWith('zones') ? city.zones.length : name.startsWith('addresses') ? city.addresses.length
          : name.startsWith('roads') ? city.roads.length : city.components.filter((c) => (name.includes('point') ? c.geometry.type === 'Point' : c.geometry.type === 'LineString')).length;
        t.match(summary, new RegExp(`Feature Count: ${expected}\\n`), `${name}: ${expected} features`);
        t.match(summary, new RegExp(`Geometry: ${type.replace(/[()]/g, '\\$&')}\\n`), `${name}: ${type}`);
        if (epsg) t.match(summary, new RegExp(`ID\\["EPSG",${epsg}\\]\\]\\s*\\nData axis`), `${name}: EPSG:${epsg}`);
        const full = ogrinfo(['-al', ...oo, file]);
        if (zoneName) {
          t.ok(full.includes(`= ${zone.name}\n`), `${name}: ${zone.name} intact`);
          if (!name.endsWith('.csv')) t.match(full, /POLYGON \(\([^)]*\),\(/, `${name}: the park keeps its hole`);
        } else if (name.startsWith('addresses')) t.ok(full.includes(`= ${city.addresses[0].roadName}\n`), `${name}: road names intact`);
        else if (name.startsWith('roads')) t.ok(full.includes(`= ${city.roads[0].name}\n`), `${name}: road names intact`);
        else t.ok(full.includes(`ObjName (String) = ${city.components.find((c) => (name.includes('point') ? c.geometry.type === 'Point' : c.geometry.type === 'LineString'))!.name}\n`), `${name}: names intact`);
      }
    });
  });
}

t.test('shapefile writer: multi-part polygons with holes, multi-lines, GBK limits', async (t) => {
  const dir = tmpDir(t);
  const square = (x: number, y: number, d: number, ccw: boolean) => {
    const r: [number, number][] = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
    return ccw ? r : r.reverse();
  };
  const zones = [{
    id: 'Z1', name: '𠮷野家片区', kind: 'park', responsibleUnit: 'U1', classes: [],
    // Two parts, the first with a hole; RFC 7946 winding in, shapefile winding out, RFC 7946 back.
    geometry: { type: 'MultiPolygon', coordinates: [[square(120, 30, 0.01, true), square(120.002, 30.002, 0.002, false)], [square(120.02, 30, 0.01, true)]] },
    extra: { 特别长的中文字段名: '值' },
  }];
  const input = writerInput('zones', async function* () { yield* zones as unknown as StoredFeature[]; });
  const gbk = await writeShapefile(path.join(dir, 'z.shp'), input, { encoding: 'gbk' });
  t.match(gbk.warnings, [/is named 特别长的中 \(/, /^1 values of NAME hold characters GBK lacks/], 'a 10-byte name is 5 Chinese characters in GBK');
  const back = await reread(path.join(dir, 'z.shp'), 'zones');
  t.same(back[0].geometry, zones[0].geometry, 'two parts and a hole survive, RFC 7946 winding restored');
  t.equal(back[0].name, '?野家片区', 'a character GBK lacks becomes "?" (and the export says so)');
  const utf8 = await writeShapefile(path.join(dir, 'u.shp'), input, { encoding: 'utf-8' });
  t.match(utf8.warnings, [/is named 特别长 \(/], '… and 3 in UTF-8; nothing else lost');
  t.equal((await reread(path.join(dir, 'u.shp'), 'zones'))[0].name, '𠮷野家片区', 'UTF-8 keeps it');

  const lines = [{ id: 'R1', name: '环城北路', districtCode: '330102', geometry: { type: 'MultiLineString', coordinates: [[[120, 30], [120.1, 30.1]], [[120.2, 30], [120.3, 30.1]]] } }];
  await writeShapefile(path.join(dir, 'r.shp'), writerInput('roads', async function* () { yield* lines as unknown as StoredFeature[]; }));
  t.same((await reread(path.join(dir, 'r.shp'), 'roads'))[0].geometry, lines[0].geometry, 'multi-part line');
});

t.test('wanmi export: summary, stable error codes', async (t) => {
  const dir = tmpDir(t);
  let store: Store | null = null;
  const io = (): CommandIo & { lines: string[]; errors: string[] } => {
    const lines: string[] = [];
    const errors: string[] = [];
    return {
      lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l),
      openStore: async () => (store = await openStore({ kind: 'geopackage', file: path.join(dir, 'cli.gpkg') })),
    };
  };
  const seed = await openStore({ kind: 'geopackage', file: path.join(dir, 'cli.gpkg') });
  await writeCity(seed.db, city, classes);
  await seed.close();
  const ok = io();
  t.equal(await exportCommand({ layer: 'grids', format: 'shp', out: path.join(dir, 'g.shp') }, ok), 0);
  t.match(ok.lines, [`${city.grids.length} grids features → shp (`, /g\.shp$/, /g\.shx$/, /g\.dbf$/, /g\.prj$/, /g\.cpg$/]);
  const badFormat = io();
  t.equal(await exportCommand({ layer: 'grids', format: 'kml', out: path.join(dir, 'g.kml') }, badFormat), 1);
  t.match(badFormat.errors, [/^wanmi: WANMI_IMPORT_BAD_OPTION: --format "kml"/]);
  const badLayer = io();
  t.equal(await exportCommand({ layer: 'trees', format: 'csv', out: path.join(dir, 't.csv') }, badLayer), 1);
  t.match(badLayer.errors, [/^wanmi: WANMI_IMPORT_UNKNOWN_LAYER/]);
  const badEncoding = io();
  t.equal(await exportCommand({ layer: 'grids', format: 'shp', out: path.join(dir, 'g2.shp'), encoding: 'big5' }, badEncoding), 1);
  t.match(badEncoding.errors, [/^wanmi: WANMI_IMPORT_BAD_OPTION: --encoding "big5"/]);
  const notZip = io();
  t.equal(await exportCommand({ layer: 'grids', format: 'shp', out: path.join(dir, 'g3.shp'), zip: true }, notZip), 1);
  t.match(notZip.errors, [/^wanmi: WANMI_IMPORT_BAD_OPTION: --zip needs an --out ending in \.zip/]);
  t.ok(store, 'each run opened the store');
});

t.test('wanmi export --zip: one .zip the importer and GDAL read, named after the zip inside', async (t) => {
  const dir = tmpDir(t);
  const store = await openStore({ kind: 'geopackage', file: path.join(dir, 'zip.gpkg') });
  t.teardown(() => store.close());
  await writeCity(store.db, city, classes);
  const zip = path.join(dir, '网格普查.zip');
  const r = await exportLayer(store.db, { layer: 'grids', format: 'shp', out: zip, zip: true });
  t.same(r.files, [zip]);
  t.notOk(existsSync(`${zip}.partial`), 'no partial file left');
  const source = await readSource(zip);
  t.match(source, { format: 'shapefile', encoding: 'gbk', encodingSource: 'cpg', crs: { epsg: 4490, source: 'prj' } });
  await source.close();
  sameFeatures(t, 'grids', await reread(zip, 'grids'), await readFeatures(store.db, IMPORT_LAYERS.grids.codec as never), 'none');
  const noop = await importLayer(store, zip, { layer: 'grids', gazetteer, validation: { today: '2030-01-01' } });
  t.match(noop, { state: 'unchanged' }, 'the zipped export imported changes nothing');
  if (hasOgr) {
    const info = spawnSync('ogrinfo', ['-ro', '-so', '-al', `/vsizip/${zip}`], { encoding: 'utf8' });
    t.match(info.stdout, /Layer name: 网格普查/, 'GDAL reads the zip; the entries carry the zip\'s (Chinese) name');
    t.match(info.stdout, new RegExp(`Feature Count: ${city.grids.length}`));
  }
  const geojson = path.join(dir, 'grids.zip');
  await exportLayer(store.db, { layer: 'grids', format: 'geojson', out: geojson, zip: true });
  t.equal((await reread(geojson, 'grids')).length, city.grids.length, 'any format zips: GeoJSON inside a zip re-reads');
});

