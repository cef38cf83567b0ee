import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ImportError, readSource } from '../../importers/index.js';
import { gbk, makeShapefile, tempDir, writeZip, type ZipEntrySpec } from '../fixtures/importers/build.js';

/** Zipped shapefiles built in the test: a good one with Chinese names, and every kind of hostile archive. */
const dir = tempDir();
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const shp = makeShapefile(dir, 'src', {
  kind: 'point',
  shapes: [{ point: [120.17, 30.25] }, { point: [120.18, 30.26] }],
  fields: [{ name: 'OBJNAME', type: 'C', length: 20 }],
  rows: [['窨井盖'], ['消防栓']],
  encode: gbk,
  cpg: 'GBK',
});
const part = (ext: string) => readFileSync(shp.replace(/\.shp$/, `.${ext}`));

function zipFile(name: string, entries: ZipEntrySpec[]): string {
  const file = join(dir, name);
  writeFileSync(file, writeZip(entries));
  return file;
}

/** The layer "部件" in folder "城管/", its names GBK-encoded without the UTF-8 flag, as Chinese Windows zips them. */
const layer = (base: string, folder = '城管/'): ZipEntrySpec[] =>
  ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((ext) => ({ name: gbk(`${folder}${base}.${ext.toUpperCase()}`), data: part(ext), utf8: false }));

const wanmiTemps = () => readdirSync(tmpdir()).filter((n) => n.startsWith('wanmi-zip-')).length;

async function failure(file: string, options = {}): Promise<ImportError> {
  try {
    const src = await readSource(file, options);
    for await (const _ of src.records) { /* drain */ }
    await src.close();
  } catch (err) {
    if (err instanceof ImportError) return err;
    throw err;
  }
  throw new Error(`${file} was read without error`);
}

t.test('a zipped shapefile with GBK entry names, in a folder, with macOS litter', async (tt) => {
  const before = wanmiTemps();
  const file = zipFile('good.zip', [
    { name: '__MACOSX/城管/._部件.shp', data: Buffer.from('junk') },
    ...layer('部件'),
    { name: 'readme.txt', data: Buffer.from('说明') },
  ]);
  const src = await readSource(file);
  tt.match(src, { format: 'shapefile', container: 'zip', layer: '部件', encoding: 'gbk', encodingSource: 'cpg' });
  const names = [];
  for await (const r of src.records) names.push(r.properties.OBJNAME);
  tt.same(names, ['窨井盖', '消防栓']);
  tt.equal(wanmiTemps(), before + 1, 'one temp folder while open');
  await src.close();
  await src.close();
  tt.equal(wanmiTemps(), before, 'removed by close()');
});

t.test('several layers: the layer option chooses; otherwise a clear refusal', async (tt) => {
  const file = zipFile('two.zip', [...layer('井盖'), ...layer('路灯', 'other/')]);
  tt.match(await failure(file), { code: 'IMPORT_LAYER_AMBIGUOUS', message: /井盖.*路灯/ });
  tt.match(await failure(file, { layer: '垃圾桶' }), { code: 'IMPORT_LAYER_NOT_FOUND' });
  const src = await readSource(file, { layer: '路灯' });
  tt.equal(src.layer, '路灯');
  await src.close();
  tt.match(await failure(zipFile('empty.zip', [{ name: 'readme.txt', data: Buffer.from('x') }])), { code: 'IMPORT_LAYER_NOT_FOUND' });
});

t.test('GeoJSON inside a zip', async (tt) => {
  const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 名称: '井盖' }, geometry: { type: 'Point', coordinates: [120, 30] } }] };
  const src = await readSource(zipFile('gj.zip', [{ name: 'data/井盖.geojson', data: Buffer.from(JSON.stringify(fc)) }]));
  tt.match(src, { format: 'geojson', layer: '井盖', container: 'zip' });
  await src.close();
});

t.test('path traversal, absolute paths and symlinks refuse the whole archive', async (tt) => {
  const before = wanmiTemps();
  for (const name of ['../evil.shp', 'a/../../evil.txt', '/etc/cron.d/x', 'C:\\Windows\\x.dll', '..\\..\\x.shp']) {
    const file = zipFile('trav.zip', [...layer('部件'), { name, data: Buffer.from('x') }]);
    tt.match(await failure(file), { code: 'IMPORT_ZIP_TRAVERSAL' }, name);
  }
  const link = zipFile('link.zip', [...layer('部件'), { name: '城管/部件.prj.lnk', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 }]);
  tt.match(await failure(link), { code: 'IMPORT_ZIP_SYMLINK' });
  tt.equal(wanmiTemps(), before, 'nothing extracted, nothing left behind');
  tt.notOk(existsSync(join(dir, '..', 'evil.shp')));
});

t.test('zip bombs: ratio, total size, entry count, and an entry inflating past its declared size', async (tt) => {
  const zeros = Buffer.alloc(20 * 1024 * 1024);
  tt.match(await failure(zipFile('ratio.zip', [...layer('部件'), { name: 'pad.bin', data: zeros }])), { code: 'IMPORT_ZIP_BOMB', message: /ratio/ });
  tt.match(await failure(zipFile('total.zip', layer('部件')), { limits: { maxZipBytes: 200 } }), { code: 'IMPORT_ZIP_BOMB' });
  tt.match(await failure(zipFile('count.zip', layer('部件')), { limits: { maxZipEntries: 3 } }), { code: 'IMPORT_ZIP_BOMB' });
  const liar = layer('部件').map((e) => (String(e.name).endsWith('.dbf') || e.name.toString().endsWith('DBF') ? { ...e, declaredSize: 10 } : e));
  tt.match(await failure(zipFile('liar.zip', liar)), { code: 'IMPORT_ZIP_BOMB', message: /more than the 10 bytes/ });
});

t.test('not a zip, or a truncated one', async (tt) => {
  const junk = join(dir, 'junk.zip');
  writeFileSync(junk, 'PK this is not really a zip file');
  tt.match(await failure(junk), { code: 'IMPORT_BAD_ZIP' });
  const whole = writeZip(layer('部件'));
  const cut = join(dir, 'cut.zip');
  writeFileSync(cut, whole.subarray(0, whole.length - 40));
  tt.match(await failure(cut), { code: 'IMPORT_BAD_ZIP' });
});
