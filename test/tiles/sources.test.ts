import t from 'tap';
import { demo, frameOf, tilesCovering, toTile } from '../fixtures/tiles/demo.js';
import { area2, features, layerNames, polygonsOf, type XY } from '../fixtures/tiles/decode.js';
import { validateTile } from '../../tiles/mercator.js';
import { TileError } from '../../tiles/errors.js';
import { TileLayerIndex } from '../../tiles/layer-index.js';
import { labelPoints } from '../../tiles/label-point.js';
import { ringsContain } from '../../src/index/flat-geometry.js';
import type { Position } from '../../src/domain/types.js';

const { rows, sources } = demo();
const ZOOMS = [10, 12, 14, 16, 18];

const EXPECTED_LAYERS: Record<string, string[]> = {
  admin: ['admin_labels', 'community', 'district', 'street'],
  grids: ['grid_labels', 'grids'],
  components: ['component_clusters', 'components'],
  addresses: ['addresses'],
  roads: ['roads'],
  zones: ['zone_labels', 'zones'],
};

t.test('every tile of every source decodes, with the declared layers and typed fields', async (t) => {
  t.same([...sources.keys()].sort(), Object.keys(EXPECTED_LAYERS).sort());
  for (const [id, source] of sources) {
    const seen = new Set<string>();
    let tiles = 0;
    for (const z of ZOOMS) {
      for (const [x, y] of tilesCovering(source.bounds, z)) {
        const data = source.getTile(z, x, y);
        if (!data) continue;
        tiles++;
        for (const name of layerNames(data)) {
          seen.add(name);
          const info = source.layers.find((l) => l.id === name)!;
          if (z < info.minzoom) t.fail(`${name} before its minzoom`);
          for (const f of features(data, name)) {
            for (const [key, value] of Object.entries(f.properties)) {
              const type = info.fields[key];
              if (type !== (typeof value === 'string' ? 'String' : typeof value === 'number' ? 'Number' : 'Boolean')) {
                t.fail(`${id}/${name}.${key}: ${typeof value} is not the declared ${type}`);
              }
            }
          }
        }
      }
    }
    t.ok(tiles > 0, `${id}: ${tiles} non-empty tiles`);
    t.same([...seen].sort(), EXPECTED_LAYERS[id], `${id} layers`);
  }
});

t.test('points round-trip exactly: components at z18, addresses at z16', async (t) => {
  const cases = [
    { source: 'components', layer: 'components', z: 18, rows: rows.components, key: (p: Record<string, unknown>) => p.id },
    { source: 'addresses', layer: 'addresses', z: 16, rows: rows.addresses, key: (p: Record<string, unknown>) => p.id },
  ];
  for (const c of cases) {
    const byId = new Map<unknown, Position>();
    for (const r of c.rows) if (r.geometry.type === 'Point') byId.set(r.id, r.geometry.coordinates);
    let checked = 0;
    const source = sources.get(c.source)!;
    for (const [x, y] of tilesCovering(source.bounds, c.z).slice(0, 60)) {
      const data = source.getTile(c.z, x, y);
      if (!data) continue;
      const frame = frameOf(c.z, x, y);
      for (const f of features(data, c.layer)) {
        const pos = byId.get(c.key(f.properties));
        if (!pos) continue;
        const [tx, ty] = toTile(frame, pos);
        if (f.geometry[0][0][0] !== Math.round(tx) || f.geometry[0][0][1] !== Math.round(ty)) t.fail(`${c.source} ${String(c.key(f.properties))}`);
        checked++;
      }
    }
    t.ok(checked > 200, `${c.source}: ${checked} points exact`);
  }
});

/** Whether `got` (decoded ring, closing vertex dropped) is a cyclic subsequence of `want`, vertex within 1 unit. */
function isCyclicSubsequence(got: XY[], want: XY[]): boolean {
  const close = (a: XY, b: XY) => Math.abs(a[0] - b[0]) <= 1 && Math.abs(a[1] - b[1]) <= 1;
  for (const order of [want, [...want].reverse()]) {
    for (let start = 0; start < order.length; start++) {
      let k = 0;
      for (let i = 0; i < order.length && k < got.length; i++) if (close(order[(start + i) % order.length], got[k])) k++;
      if (k === got.length) return true;
    }
  }
  return false;
}

t.test('grid polygons inside a tile keep their vertices (within 1 unit) and exterior winding', async (t) => {
  const source = sources.get('grids')!;
  const byCode = new Map(rows.grids.map((g) => [g.code, g]));
  for (const z of [16, 17]) {
    let unclipped = 0;
    let kept = 0;
    let total = 0;
    for (const [x, y] of tilesCovering(source.bounds, z)) {
      const data = source.getTile(z, x, y);
      if (!data) continue;
      const frame = frameOf(z, x, y);
      for (const f of features(data, 'grids')) {
        const grid = byCode.get(f.properties.code as string)!;
        const ring = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0][0];
        const want = ring.slice(0, -1).map((p) => toTile(frame, p).map(Math.round) as XY);
        if (!polygonsOf(f).every((poly) => area2(poly[0]) > 0)) t.fail(`grid ${grid.code}: exterior not positive`);
        if (!want.every(([px, py]) => px >= 0 && px <= 4096 && py >= 0 && py <= 4096)) continue;
        unclipped++;
        const got = f.geometry[0].slice(0, -1);
        total += want.length;
        kept += got.length;
        if (!isCyclicSubsequence(got, want)) t.fail(`grid ${grid.code} at z${z}: vertices moved`);
      }
    }
    t.ok(unclipped > 20, `z${z}: ${unclipped} unclipped grids checked, ${kept}/${total} vertices kept`);
  }
});

t.test('every polygon ring in every tile has the winding the spec requires', async (t) => {
  let rings = 0;
  for (const [id, layer] of [['admin', 'community'], ['admin', 'street'], ['admin', 'district'], ['zones', 'zones'], ['grids', 'grids']]) {
    const source = sources.get(id)!;
    for (const z of [12, 14, 16]) {
      for (const [x, y] of tilesCovering(source.bounds, z)) {
        const data = source.getTile(z, x, y);
        if (!data) continue;
        for (const f of features(data, layer)) {
          for (const poly of polygonsOf(f)) {
            poly.forEach((ring, i) => (i === 0 ? area2(ring) > 0 : area2(ring) < 0) || t.fail(`${layer} ring ${i}`));
            rings += poly.length;
          }
        }
      }
    }
  }
  t.ok(rings > 500, `${rings} rings checked`);
});

t.test('label points lie inside their polygons', async (t) => {
  const index = TileLayerIndex.build(rows.adminAreas.map((a) => a.geometry));
  const labels = labelPoints(index);
  for (let f = 0; f < index.size; f++) {
    t.ok(ringsContain(index.coords, index.partStart, index.featPart[f], index.featPart[f + 1], labels[2 * f], labels[2 * f + 1]), rows.adminAreas[f].name);
  }
});

t.test('empty tiles are null; a layer before its minzoom is absent', async (t) => {
  for (const source of sources.values()) {
    t.equal(source.getTile(14, 0, 0), null, `${source.id} far away`);
    t.equal(source.renderTile(3, 0, 0), null);
  }
  const grids = sources.get('grids')!;
  const [x, y] = tilesCovering(grids.bounds, 12)[0];
  t.equal(grids.getTile(12, x, y), null, 'grids start at z13');
});

t.test('tile addresses are validated with typed errors', async (t) => {
  const cases: Array<[number, number, number, string, string]> = [
    [23, 0, 0, 'WANMI_TILE_ZOOM', 'z'], [-1, 0, 0, 'WANMI_TILE_ZOOM', 'z'], [1.5, 0, 0, 'WANMI_TILE_ZOOM', 'z'],
    [NaN, 0, 0, 'WANMI_TILE_ZOOM', 'z'], [2, 4, 0, 'WANMI_TILE_RANGE', 'x'], [2, 0, -1, 'WANMI_TILE_RANGE', 'y'],
    [0, 0, 1, 'WANMI_TILE_RANGE', 'y'], [3, 1.5, 0, 'WANMI_TILE_RANGE', 'x'],
  ];
  for (const [z, x, y, code, field] of cases) {
    t.throws(() => validateTile(z, x, y), { code, field, statusCode: 400 }, `${z}/${x}/${y}`);
    t.throws(() => sources.get('grids')!.getTile(z, x, y), TileError);
  }
  t.doesNotThrow(() => validateTile(22, 2 ** 22 - 1, 0));
  t.doesNotThrow(() => validateTile(0, 0, 0));
});
