import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Geometry, Position } from '../../src/domain/types.js';
import { readSource } from '../../importers/index.js';
import { tempDir, readAllRecords } from '../fixtures/importers/build.js';

/**
 * GDAL makes the projected shapefiles no open data set has: Hangzhou's counties reprojected by ogr2ogr
 * into Gauss-Krüger zones of CGCS2000, Xi'an 1980 and Beijing 1954. Reading them back must give the
 * original lon/lat to the centimetre, from the .prj GDAL writes (ESRI WKT) alone.
 * Skipped only when ogr2ogr is missing and CI is unset (CI installs gdal-bin).
 */
const hasOgr = spawnSync('ogr2ogr', ['--version']).status === 0;
const SOURCE = new URL('../../../shared/data/cn-admin-gbk-shp/BOUNT_poly.shp', import.meta.url).pathname;

const all = readAllRecords;

function positions(g: Geometry | null): Position[] {
  return JSON.stringify(g?.coordinates ?? []).match(/-?[\d.e+-]+,-?[\d.e+-]+/g)!.map((p) => p.split(',').map(Number) as Position);
}

const maxMetres = (a: Position[], b: Position[]) => Math.max(...a.map((p, i) =>
  Math.hypot((p[0] - b[i][0]) * 111320 * Math.cos((p[1] * Math.PI) / 180), (p[1] - b[i][1]) * 110540)));

t.test('ogr2ogr-reprojected GK shapefiles read back to the original lon/lat', { skip: !hasOgr && !process.env.CI ? 'ogr2ogr not installed' : false }, async (tt) => {
  const dir = tempDir();
  tt.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // Source datum given explicitly (-s_srs) so GDAL applies the projection only, as we do for these datums.
  const cases: Array<[string, number, number, string]> = [
    ['cgcs2000-cm120', 4490, 4549, 'CGCS2000 / 3-degree Gauss-Kruger CM 120E'],
    ['cgcs2000-zone40', 4490, 4528, 'CGCS2000 / 3-degree Gauss-Kruger zone 40'],
    ['xian80-zone40', 4610, 2364, 'Xian 1980 / 3-degree Gauss-Kruger zone 40'],
    ['beijing54-cm120', 4214, 2437, 'Beijing 1954 / 3-degree Gauss-Kruger CM 120E'],
  ];
  const original = (await all(SOURCE)).filter((r) => String(r.properties.ADCODE99).startsWith('3301'));
  tt.equal(original.length, 8, 'Hangzhou in the 1999 codes: 8 records');
  for (const [name, from, to, label] of cases) {
    const out = join(dir, `${name}.shp`);
    const run = spawnSync('ogr2ogr', [
      '-f', 'ESRI Shapefile', out, SOURCE, '-oo', 'ENCODING=CP936', '-lco', 'ENCODING=UTF-8',
      '-where', "ADCODE99 LIKE '3301%'", '-s_srs', `EPSG:${from}`, '-t_srs', `EPSG:${to}`,
    ], { encoding: 'utf8' });
    tt.equal(run.status, 0, `ogr2ogr ${name}: ${run.stderr}`);
    const src = await readSource(out);
    tt.match(src, { encoding: 'utf-8', encodingSource: 'cpg', crs: { source: 'prj', epsg: to, label } }, name);
    // Read as if it were lon/lat, the raw values show it really is in projected metres.
    const raw = (await readSource(out, { crs: 'cgcs2000' }));
    for await (const r of raw.records) {
      tt.ok(positions(r.geometry)[0][0] > 100_000, `${name}: stored in metres`);
      break;
    }
    const back = await all(out);
    tt.same(back.map((r) => r.properties.NAME99), original.map((r) => r.properties.NAME99), `${name}: names`);
    const worst = Math.max(...back.map((r, i) => maxMetres(positions(r.geometry), positions(original[i].geometry))));
    tt.ok(worst < 0.01, `${name}: worst vertex ${(worst * 100).toFixed(3)} cm from the original`);
  }
});
