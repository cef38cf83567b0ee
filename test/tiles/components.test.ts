import t from 'tap';
import { anchorOf, demo, tilesCovering } from '../fixtures/tiles/demo.js';
import { features } from '../fixtures/tiles/decode.js';
import { buildComponentSource } from '../../tiles/component-source.js';
import { lonOf, latOf } from '../../tiles/mercator.js';
import type { Component } from '../../src/domain/types.js';

const { rows, sources } = demo();
const source = sources.get('components')!;
const anchors = rows.components.map((c) => anchorOf(c.geometry));
const byId = new Map(rows.components.map((c) => [c.id, c]));

/** Components whose anchor lies in tile z/x/y (half-open), by brute force over the rows. */
function inTile(z: number, x: number, y: number, keep: (c: Component) => boolean = () => true): Component[] {
  const n = 2 ** z;
  return rows.components.filter((c, i) => {
    const ax = anchors[i][0] * n - x;
    const ay = anchors[i][1] * n - y;
    return ax >= 0 && ax < 1 && ay >= 0 && ay < 1 && keep(c);
  });
}

t.test('below the cluster zoom: clusters whose counts sum to the components in the tile', async (t) => {
  for (const z of [12, 14, 15]) {
    let sum = 0;
    for (const [x, y] of tilesCovering(source.bounds, z)) {
      const data = source.getTile(z, x, y);
      const clusters = data ? features(data, 'component_clusters') : [];
      t.equal(data ? features(data, 'components').length : 0, 0, 'no individual components');
      const counts = clusters.map((f) => f.properties.count as number);
      const tileSum = counts.reduce((a, b) => a + b, 0);
      if (tileSum !== inTile(z, x, y).length) t.fail(`z${z}/${x}/${y}: ${tileSum} ≠ ${inTile(z, x, y).length}`);
      for (const f of clusters) {
        const byMajor = ['01', '02', '03', '04', '05', '06'].reduce((n, m) => n + (f.properties[`count_${m}`] as number), 0);
        if (byMajor !== f.properties.count) t.fail('count_01 … count_06 add up to count');
        const [[[px, py]]] = f.geometry;
        if (px < 0 || px >= 4096 || py < 0 || py >= 4096) t.fail('cluster inside its tile');
      }
      if (clusters.length > 64 * 64) t.fail('at most one cluster per cell');
      sum += tileSum;
    }
    t.equal(sum, rows.components.length, `z${z}: the tiles count every component once`);
  }
});

t.test('filters: class (major or type code), owner, state; clusters honour them too', async (t) => {
  const owner = rows.components.find((c) => c.ownerUnit)!.ownerUnit!;
  const cases: Array<{ filters: Record<string, string>; keep: (c: Component) => boolean }> = [
    { filters: { class: '01' }, keep: (c) => c.major === '01' },
    { filters: { class: '0118,04' }, keep: (c) => c.major + c.minor === '0118' || c.major === '04' },
    { filters: { owner }, keep: (c) => c.ownerUnit === owner },
    { filters: { state: '完好', class: '03' }, keep: (c) => c.state === '完好' && c.major === '03' },
    { filters: { class: '9999' }, keep: () => false },
  ];
  for (const { filters, keep } of cases) {
    let individual = 0;
    let clustered = 0;
    for (const [x, y] of tilesCovering(source.bounds, 16)) {
      const data = source.getTile(16, x, y, { filters });
      for (const f of data ? features(data, 'components') : []) {
        const row = byId.get(f.properties.id as string)!;
        if (!keep(row)) t.fail(`${JSON.stringify(filters)} let ${row.id} through`);
        individual++;
      }
    }
    for (const [x, y] of tilesCovering(source.bounds, 13)) {
      const data = source.getTile(13, x, y, { filters });
      clustered += (data ? features(data, 'component_clusters') : []).reduce((n, f) => n + (f.properties.count as number), 0);
    }
    const expected = rows.components.filter(keep).length;
    t.equal(clustered, expected, `${JSON.stringify(filters)}: clusters count ${expected}`);
    t.ok(expected === 0 ? individual === 0 : individual >= expected, `${JSON.stringify(filters)}: ${individual} features at z16`);
  }
});

t.test('bad filters are WANMI_TILE_FILTER naming the filter', async (t) => {
  const [x, y] = tilesCovering(source.bounds, 16)[0];
  t.throws(() => source.getTile(16, x, y, { filters: { colour: 'red' } }), { code: 'WANMI_TILE_FILTER', field: 'colour' });
  t.throws(() => source.getTile(16, x, y, { filters: { class: 'abc' } }), { code: 'WANMI_TILE_FILTER', field: 'class' });
  t.throws(() => source.getTile(16, x, y, { filters: { class: '011' } }), { code: 'WANMI_TILE_FILTER', field: 'class' });
  t.throws(() => source.getTile(13, x >> 3, y >> 3, { filters: { owner: 'a b' } }), { code: 'WANMI_TILE_FILTER', field: 'owner' });
  t.throws(() => sources.get('grids')!.getTile(16, x, y, { filters: { class: '01' } }), { code: 'WANMI_TILE_FILTER' });
});

/** `count` point components in one z16 tile, each with long attributes (about 110 bytes encoded). */
function denseComponents(count: number): Component[] {
  const z = 16;
  const x = 54650;
  const y = 26748;
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: count }, (_, i) => ({
    id: `33010201${String(i).padStart(8, '0')}`, major: `0${1 + (i % 6)}`, minor: '01', name: `部件${i}号很长的名称用于测试字节上限`,
    competentUnit: null, ownerUnit: `OWNER${i % 977}`, maintainerUnit: `MAINT${i % 991}`, gridCode: null, state: '完好',
    initialDate: '2024-01-01', changedDate: null, dataSource: null, note: null, extra: {},
    geometry: { type: 'Point', coordinates: [lonOf((x + rand()) / 2 ** z), latOf((y + rand()) / 2 ** z)] },
  }));
}

t.test('a dense tile stays within the feature and byte caps, dropping by a stable rank', async (t) => {
  const dense = buildComponentSource(denseComponents(12_000), { dataVersion: 1, attribution: '' });
  const tile = dense.renderTile(16, 54650, 26748)!;
  t.ok(tile.data.length <= 500 * 1024, `${tile.data.length} bytes ≤ 500 KiB`);
  t.ok(tile.dropped > 0 && tile.features + tile.dropped === 12_000, `${tile.features} kept, ${tile.dropped} dropped`);
  t.equal(features(tile.data, 'components').length, tile.features);
  t.ok(Buffer.from(dense.renderTile(16, 54650, 26748)!.data).equals(tile.data), 'the same bytes every time');
  const clusters = dense.renderTile(14, 54650 >> 2, 26748 >> 2)!;
  t.equal(clusters.dropped, 0, 'clusters are bounded by cells, never truncated');
  t.equal(features(clusters.data, 'component_clusters').reduce((n, f) => n + (f.properties.count as number), 0), 12_000);

  const small = buildComponentSource(denseComponents(3000), { dataVersion: 1, attribution: '', limits: { maxFeatures: 500, maxBytes: 20_000 } });
  const capped = small.renderTile(16, 54650, 26748)!;
  t.ok(capped.features <= 500 && capped.data.length <= 20_000, `${capped.features} features, ${capped.data.length} bytes`);
  const kept = new Set(features(capped.data, 'components').map((f) => f.properties.id));
  const subset = buildComponentSource(denseComponents(3000), { dataVersion: 1, attribution: '', limits: { maxFeatures: 250, maxBytes: 20_000 } });
  const fewer = features(subset.renderTile(16, 54650, 26748)!.data, 'components').map((f) => f.properties.id);
  t.ok(fewer.every((id) => kept.has(id)), 'a tighter cap keeps a subset: the rank is fixed, not per request');
});
