import t from 'tap';
import { spawnSync } from 'node:child_process';
import { testStores } from '../helpers/stores.js';
import { demoCity } from '../helpers/app.js';
import { openStore } from '../../src/store/connect.js';
import { writeCity } from '../../src/store/city-writer.js';

/**
 * GDAL, an independent reader, must open Wanmi's GeoPackage: layers, CGCS2000, counts, Chinese text,
 * spatial indexes. Runs wherever ogrinfo is installed; in CI (which installs gdal-bin) it must run.
 */
const hasOgr = spawnSync('ogrinfo', ['--version']).status === 0;
if (!hasOgr && process.env.CI) throw new Error('CI must install gdal-bin (ogrinfo) for the GeoPackage test');

const ogrinfo = (...args: string[]) => {
  const r = spawnSync('ogrinfo', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ogrinfo ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
};

t.test('ogrinfo opens the demo city GeoPackage', { skip: hasOgr ? false : 'ogrinfo (gdal-bin) is not installed' }, async (t) => {
  const testStore = await testStores()[0].make();
  t.teardown(() => testStore.cleanup());
  const store = await openStore(testStore.config);
  const { city, classes } = demoCity();
  await writeCity(store.db, city, classes);
  await store.close();
  const file = (testStore.config as { file: string }).file;

  const summary = ogrinfo('-ro', '-so', file);
  t.match(summary, /using driver `GPKG'/);
  for (const [layer, type] of [['admin_areas', 'Multi Polygon'], ['grids', 'Multi Polygon'], ['addresses', 'Point'], ['roads', 'Multi Line String'], ['zones', 'Multi Polygon']]) {
    t.match(summary, new RegExp(`${layer} \\(${type}\\)`), `${layer} listed as ${type}`);
  }
  t.match(summary, /components/);

  const grids = ogrinfo('-ro', '-so', file, 'grids');
  t.match(grids, new RegExp(`Feature Count: ${city.grids.length}\\b`));
  t.match(grids, /China Geodetic Coordinate System 2000|CGCS2000|CGCS_2000/);
  t.match(grids, /ID\["EPSG",4490\]|AUTHORITY\["EPSG","4490"\]/);

  const sample = city.grids[0];
  const feature = ogrinfo('-ro', file, '-sql', `SELECT code, name, community_code FROM grids WHERE code = '${sample.code}'`);
  t.match(feature, `name (String) = ${sample.name}`, 'Chinese names come through intact');

  const idx = ogrinfo('-ro', file, '-sql', "SELECT HasSpatialIndex('grids', 'geom')", '-dialect', 'SQLite');
  t.match(idx, /HasSpatialIndex\(?.*\(Integer\) = 1/);

  const units = ogrinfo('-ro', '-so', file, 'units');
  t.match(units, new RegExp(`Feature Count: ${city.units.length}\\b`), 'the units attribute table is listed too');
});
