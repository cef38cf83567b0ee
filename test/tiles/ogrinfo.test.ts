import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demo, tilesCovering } from '../fixtures/tiles/demo.js';
import { features } from '../fixtures/tiles/decode.js';
import { TileService } from '../../tiles/service.js';
import { mercatorX, mercatorY } from '../../tiles/mercator.js';

/**
 * An independent reader: GDAL's MVT driver opens a tile written by Wanmi, sees every layer with the
 * same feature counts and fields, and places a component where Wanmi's projection says it is.
 * Skipped only when ogrinfo is missing on a developer machine; in CI (CI set) a missing ogrinfo fails.
 */
const hasOgr = spawnSync('ogrinfo', ['--version']).status === 0;
const skip = !hasOgr && !process.env.CI ? 'ogrinfo (gdal-bin) is not installed' : false;

/** Half the Web Mercator world width in metres (EPSG:3857). */
const HALF = Math.PI * 6378137;

t.test('ogrinfo reads a composite tile with the MVT driver', { skip }, async (t) => {
  const { sources, rows } = demo();
  const service = new TileService([...sources.values()], null);
  const z = 18;
  // The first tile holding grids, their labels and point components.
  const [x, y] = tilesCovering(sources.get('grids')!.bounds, z).find(([tx, ty]) => {
    const data = service.tile('grids,components', z, tx, ty)?.data;
    return data && features(data, 'grid_labels').length > 0 && features(data, 'components').some((f) => f.type === 1);
  })!;
  const tile = service.tile('grids,components,roads', z, x, y)!;
  const dir = mkdtempSync(path.join(tmpdir(), 'wanmi-ogr-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, `${z}-${x}-${y}.mvt`);
  writeFileSync(file, tile.data);
  const open = ['-ro', '-oo', `X=${x}`, '-oo', `Y=${y}`, '-oo', `Z=${z}`, file];

  const summary = execFileSync('ogrinfo', ['-so', '-al', ...open], { encoding: 'utf8' });
  t.match(summary, /using driver `MVT' successful/);
  for (const layer of ['grids', 'grid_labels', 'components']) {
    const block = summary.split('Layer name: ').find((b) => b.startsWith(`${layer}\n`));
    t.ok(block, `ogrinfo sees layer ${layer}`);
    const count = Number(/Feature Count: (\d+)/.exec(block ?? '')?.[1]);
    t.equal(count, features(tile.data, layer).length, `${layer}: same feature count`);
  }
  t.match(summary, /typeCode: String/);

  const detail = execFileSync('ogrinfo', ['-q', ...open, 'components'], { encoding: 'utf8' });
  const block = detail.split('OGRFeature(components)').find((b) => b.includes('POINT ('));
  const first = /id \(String\) = (\d+)[\s\S]*POINT \(([-\d.e]+) ([-\d.e]+)\)/.exec(block ?? '');
  t.ok(first, 'a point component with its id');
  if (!first) return;
  const row = rows.components.find((c) => c.id === first[1])!;
  t.equal(row.geometry.type, 'Point');
  if (row.geometry.type !== 'Point') return;
  const [lon, lat] = row.geometry.coordinates;
  const unit = (2 * HALF) / 2 ** z / 4096;
  t.ok(Math.abs((mercatorX(lon) - 0.5) * 2 * HALF - Number(first[2])) <= unit, 'x within one tile unit');
  t.ok(Math.abs((0.5 - mercatorY(lat)) * 2 * HALF - Number(first[3])) <= unit, 'y within one tile unit');
});
