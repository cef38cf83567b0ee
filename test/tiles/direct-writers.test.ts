import t, { type Test } from 'tap';
import { demo, frameOf, tilesCovering, toTile } from '../fixtures/tiles/demo.js';
import { features } from '../fixtures/tiles/decode.js';
import { IdCodes, fnv1aOf } from '../../tiles/id-codes.js';
import { PointIndex } from '../../tiles/point-index.js';
import { TileLayerIndex } from '../../tiles/layer-index.js';
import { cutFeature } from '../../tiles/cut.js';
import { encodeTile, type MvtFeature, type MvtProperties } from '../../tiles/mvt-writer.js';
import type { Component, Geometry, Position } from '../../src/domain/types.js';
import { buildComponentSource } from '../../tiles/component-source.js';
import { latOf, lonOf } from '../../tiles/mercator.js';

// The direct writers (components, and every indexed and label layer) against independent expectations:
// ids and attributes from the rows, geometry from cutFeature + the generic MVT writer.

const { rows, sources } = demo();

t.test('IdCodes: every id written back exactly, hashed as its string', async (t) => {
  const ids = [
    '33010201180100042', '33010201180100043', '3301020118000001', '330102011810000999', 'A-17', 'A-007', 'A-7', 'abc', '区县-12',
    '', '0', '00', '999999999999999999999', 'x9', '12345678901234567890123', '路灯0001', '路灯0002',
  ];
  // Many prefixes: the suffix must shrink for the groups to fit 32 bits.
  for (let p = 0; p < 3000; p++) ids.push(`P${p}-${String(p * 7919 % 1_000_000_000).padStart(9, '0')}`);
  const codes = new IdCodes(ids);
  const decoder = new TextDecoder();
  const buf = new Uint8Array(64);
  const wrong = ids.filter((id, f) => {
    const end = codes.write(buf, 0, f);
    return end !== codes.byteLength(f) || decoder.decode(buf.subarray(0, end)) !== id || codes.hash(f) !== fnv1aOf(id);
  });
  t.same(wrong, [], `${ids.length} ids round-trip`);
});

t.test('PointIndex: fixed-point positions within a hair of the input, range queries exact on the grid', async (t) => {
  let seed = 11;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const xy = new Float64Array(20_000).map((_, i) => (i % 2 ? 0.4 + rand() * 0.002 : 0.8 + rand() * 0.003));
  const { index, order } = PointIndex.build(xy);
  let worst = 0;
  for (let pos = 0; pos < index.size; pos++) {
    worst = Math.max(worst, Math.abs(index.x(pos) - xy[2 * order[pos]]), Math.abs(index.y(pos) - xy[2 * order[pos] + 1]));
  }
  t.ok(worst <= index.step / 2, `error ${worst} ≤ half a step ${index.step / 2}`);
  t.ok(index.step * 2 ** 34 <= 1 / 64, 'a step (0.3° of data) is at most 1/64 of a tile unit at z22');
  const box = [0.8005, 0.4005, 0.8012, 0.4011] as const;
  const { positions, count } = index.positions(...box, new Uint32Array(4));
  const inBox = (pos: number) => index.x(pos) >= box[0] && index.x(pos) <= box[2] && index.y(pos) >= box[1] && index.y(pos) <= box[3];
  const found = new Set(Array.from(positions.subarray(0, count)).filter(inBox));
  const brute = Array.from({ length: index.size }, (_, pos) => pos).filter(inBox);
  t.ok(brute.length > 100 && brute.every((pos) => found.has(pos)), `${brute.length} points in the box, all found`);
});

t.test('components: attributes and points as the rows say, at z16–z18', async (t) => {
  const byId = new Map(rows.components.map((c) => [c.id, c]));
  const source = sources.get('components')!;
  let checked = 0;
  for (const z of [16, 17, 18]) {
    for (const [x, y] of tilesCovering(source.bounds, z).filter((_, i) => i % 7 === 0)) {
      const data = source.getTile(z, x, y);
      if (!data) continue;
      const frame = frameOf(z, x, y);
      for (const f of features(data, 'components')) {
        const c = byId.get(f.properties.id as string)!;
        const want: Record<string, string> = { id: c.id, typeCode: c.major + c.minor, major: c.major, name: c.name, state: c.state };
        if (c.ownerUnit !== null) want.owner = c.ownerUnit;
        if (c.maintainerUnit !== null) want.maintainer = c.maintainerUnit;
        if (!sameEntries(f.properties, want)) t.fail(`${c.id}: ${JSON.stringify(f.properties)}`);
        if (c.geometry.type === 'Point') {
          const [tx, ty] = toTile(frame, c.geometry.coordinates);
          if (Math.abs(f.geometry[0][0][0] - tx) > 0.5 + 1e-6 || Math.abs(f.geometry[0][0][1] - ty) > 0.5 + 1e-6) t.fail(`${c.id} moved`);
        }
        checked++;
      }
    }
  }
  t.ok(checked > 1000, `${checked} components checked`);
});

/** What the generic writer is given for a tile: every feature of the index cut to the frame, with its id and attributes. */
function cutAll(
  index: TileLayerIndex, frame: ReturnType<typeof frameOf>, feature: (i: number) => Omit<MvtFeature, 'geometry'>,
): MvtFeature[] {
  const out: MvtFeature[] = [];
  for (const i of index.search(frame.minX, frame.minY, frame.maxX, frame.maxY)) {
    const geometry = cutFeature(index, i, frame);
    if (geometry) out.push({ ...feature(i), geometry });
  }
  return out;
}

/** Decoded features of `layer` in a source's tiles, against cutFeature + the generic writer over the same rows. */
function compareWithGenericWriter(
  t: Test, sourceId: string, layer: string, geometries: Geometry[], properties: (i: number) => MvtProperties, zooms: number[],
): number {
  const index = TileLayerIndex.build(geometries);
  const source = sources.get(sourceId)!;
  let compared = 0;
  for (const z of zooms) {
    for (const [x, y] of tilesCovering(source.bounds, z).filter((_, i) => i % 3 === 0)) {
      const data = source.getTile(z, x, y);
      const expected = cutAll(index, frameOf(z, x, y), (i) => ({ id: i + 1, properties: properties(i) }));
      const want = features(encodeTile([{ name: layer, features: expected }]), layer);
      const got = data ? features(data, layer) : [];
      if (JSON.stringify(got) !== JSON.stringify(want)) t.fail(`${layer} z${z}/${x}/${y}: ${got.length} features, expected ${want.length}`);
      compared += got.length;
    }
  }
  return compared;
}

t.test('grids, zones, roads: the direct writer gives the generic writer\'s features, geometry and attributes', async (t) => {
  const grids = [...rows.grids].sort((a, b) => (a.code < b.code ? -1 : 1));
  const gridCount = compareWithGenericWriter(t, 'grids', 'grids', grids.map((g) => g.geometry),
    (i) => ({ code: grids[i].code, name: grids[i].name, community: grids[i].communityCode }), [13, 14, 15, 16, 18]);
  t.ok(gridCount > 500, `${gridCount} grid polygons identical`);
  const zones = [...rows.zones].sort((a, b) => (a.id < b.id ? -1 : 1));
  const zoneCount = compareWithGenericWriter(t, 'zones', 'zones', zones.map((z) => z.geometry),
    (i) => ({ id: zones[i].id, name: zones[i].name, kind: zones[i].kind, unit: zones[i].responsibleUnit }), [10, 12, 14, 16]);
  t.ok(zoneCount > 5, `${zoneCount} zone polygons identical`);
  const roads = [...rows.roads].sort((a, b) => (a.id < b.id ? -1 : 1));
  const roadCount = compareWithGenericWriter(t, 'roads', 'roads', roads.map((r) => r.geometry),
    (i) => ({ id: roads[i].id, name: roads[i].name, district: roads[i].districtCode }), [10, 13, 16, 18]);
  t.ok(roadCount > 50, `${roadCount} road lines identical`);
});

t.test('component lines and polygons: the geometry cutFeature and the generic writer give', async (t) => {
  const shapes = rows.components.filter((c) => c.geometry.type !== 'Point').sort((a, b) => (a.id < b.id ? -1 : 1));
  const points = rows.components.length - shapes.length;
  const index = TileLayerIndex.build(shapes.map((c) => c.geometry));
  const source = sources.get('components')!;
  let compared = 0;
  for (const z of [16, 17]) {
    for (const [x, y] of tilesCovering(source.bounds, z).filter((_, i) => i % 2 === 0)) {
      const data = source.getTile(z, x, y);
      const expected = cutAll(index, frameOf(z, x, y), (j) => ({ id: points + j + 1, properties: { id: shapes[j].id } }));
      const want = features(encodeTile([{ name: 'components', features: expected }]), 'components').map((f) => [f.id, f.properties.id, f.geometry]);
      const got = (data ? features(data, 'components') : []).filter((f) => f.id! > points).map((f) => [f.id, f.properties.id, f.geometry]);
      const sort = (a: unknown[], b: unknown[]) => (a[0] as number) - (b[0] as number);
      if (JSON.stringify(got.sort(sort)) !== JSON.stringify(want.sort(sort))) t.fail(`z${z}/${x}/${y}: ${got.length} shapes, expected ${want.length}`);
      compared += got.length;
    }
  }
  t.ok(compared > 100, `${compared} component lines and polygons identical`);
});

t.test('grid labels: code and name only, at the label point', async (t) => {
  const source = sources.get('grids')!;
  const byCode = new Map(rows.grids.map((g) => [g.code, g]));
  let checked = 0;
  for (const [x, y] of tilesCovering(source.bounds, 16)) {
    const data = source.getTile(16, x, y);
    for (const f of data ? features(data, 'grid_labels') : []) {
      const g = byCode.get(f.properties.code as string);
      if (!g || f.properties.name !== g.name || Object.keys(f.properties).length !== 2) t.fail(JSON.stringify(f.properties));
      const [px, py] = f.geometry[0][0];
      if (px < -64 || px > 4160 || py < -64 || py > 4160) t.fail('label in the tile plus buffer');
      checked++;
    }
  }
  t.ok(checked > 50, `${checked} labels`);
});

function sameEntries(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

t.test('a tile of more components than the reused lists first hold (points and lines) decodes whole', async (t) => {
  const [z, x, y] = [16, 54650, 26748];
  const at = (u: number, v: number): Position => [lonOf((x + u) / 2 ** z), latOf((y + v) / 2 ** z)];
  const base = rows.components[0];
  const many: Component[] = [];
  for (let i = 0; i < 4500; i++) {
    const geometry = i % 10 === 0
      ? { type: 'LineString' as const, coordinates: [at((i % 97) / 100, (i % 89) / 100), at((i % 97) / 100 + 0.01, (i % 89) / 100 + 0.02)] }
      : { type: 'Point' as const, coordinates: at((i % 101) / 101, (i % 103) / 103) };
    many.push({ ...base, id: `3301020118${String(i).padStart(7, '0')}`, geometry });
  }
  const source = buildComponentSource(many, { dataVersion: 1, attribution: '', limits: { maxFeatures: 100_000, maxBytes: 10 * 2 ** 20 } });
  const tile = source.renderTile(z, x, y)!;
  const got = features(tile.data, 'components');
  t.equal(tile.dropped, 0);
  t.equal(got.length, 4500, 'every component written');
  t.same(new Set(got.map((f) => f.properties.id)).size, 4500, 'each id once');
  t.equal(got.filter((f) => f.type === 2).length, 450, 'the lines as lines');
});
