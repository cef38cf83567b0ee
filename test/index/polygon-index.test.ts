import t from 'tap';
import { readFileSync } from 'node:fs';
import { PolygonIndex } from '../../src/index/polygon-index.js';
import type { PolygonGeometry, MultiPolygonGeometry } from '../../src/domain/types.js';
import { createRng } from '../../src/demo/prng.js';

interface Fixture {
  polygons: Array<{ code: string; geometry: PolygonGeometry | MultiPolygonGeometry }>;
  cases: Array<{ name: string; point: [number, number]; expected: string | null; all?: string[] }>;
}
const fixture: Fixture = JSON.parse(readFileSync(new URL('../fixtures/lookup/boundaries.json', import.meta.url), 'utf8'));
const index = PolygonIndex.build(fixture.polygons.map((p) => p.geometry));
const codeOf = (i: number) => (i < 0 ? null : fixture.polygons[i].code);

for (const c of fixture.cases) {
  t.test(c.name, async (t) => {
    t.equal(codeOf(index.containing(c.point[0], c.point[1])), c.expected);
    if (c.all) t.same(index.allContaining(c.point[0], c.point[1]).map(codeOf), c.all);
  });
}

t.test('every point on a shared edge belongs to exactly one polygon', async (t) => {
  // Points on the diagonal T1|T2 and on A|B with coordinates that are not exactly representable:
  // the boundary rule must still give each to exactly one side, never both, never neither.
  const t1 = fixture.polygons.findIndex((p) => p.code === 'T1');
  const t2 = fixture.polygons.findIndex((p) => p.code === 'T2');
  let mismatches = 0;
  for (let k = 1; k < 1000; k++) {
    const s = k / 1000 + 1e-7 * Math.sin(k);
    const x = 3 + s;
    const y = s;
    const inside = Number(index.contains(t1, x, y)) + Number(index.contains(t2, x, y));
    if (inside !== 1) mismatches++;
  }
  t.equal(mismatches, 0);
});

t.test('an empty layer answers nothing', async (t) => {
  const empty = PolygonIndex.build([]);
  t.equal(empty.size, 0);
  t.equal(empty.containing(0, 0), -1);
  t.same(empty.allContaining(0, 0), []);
  t.same(empty.search(-1, -1, 1, 1), []);
});

t.test('bbox and search', async (t) => {
  const m = fixture.polygons.findIndex((p) => p.code === 'M');
  t.same(index.bbox(m), [8, 0, 11, 1]);
  t.ok(index.search(8.2, 0.2, 8.3, 0.3).includes(m));
});

/** Seeded, so the random layers are the same on every run (the demo generator's PRNG). */
function prng(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

/** What containing() must answer: the lowest feature whose exact test passes, by trying every one. */
function bruteContaining(index: PolygonIndex, x: number, y: number): number {
  for (let f = 0; f < index.size; f++) if (index.contains(f, x, y)) return f;
  return -1;
}

function bruteAll(index: PolygonIndex, x: number, y: number): number[] {
  const all: number[] = [];
  for (let f = 0; f < index.size; f++) if (index.contains(f, x, y)) all.push(f);
  return all;
}

/**
 * A jittered lattice of quads sharing edges and vertices (like unit grids), one with a hole, then
 * overlapping squares on top (like zones), so candidates overlap and the tie-break is exercised.
 */
function randomLayer(rand: () => number): PolygonGeometry[] {
  const n = 12;
  const node = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j): [number, number] => {
    const edge = i === 0 || j === 0 || i === n || j === n;
    return [120 + (i + (edge ? 0 : (rand() - 0.5) * 0.4)) * 0.001, 30 + (j + (edge ? 0 : (rand() - 0.5) * 0.4)) * 0.001];
  }));
  const layer: PolygonGeometry[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const ring = [node[i][j], node[i + 1][j], node[i + 1][j + 1], node[i][j + 1], node[i][j]];
      layer.push({ type: 'Polygon', coordinates: [ring] });
    }
  }
  const [cx, cy] = node[5][5];
  layer[5 * n + 5] = { type: 'Polygon', coordinates: [layer[5 * n + 5].coordinates[0], [[cx + 0.0002, cy + 0.0002], [cx + 0.0002, cy + 0.0006], [cx + 0.0006, cy + 0.0006], [cx + 0.0006, cy + 0.0002], [cx + 0.0002, cy + 0.0002]]] };
  for (let k = 0; k < 20; k++) {
    const x = 120 + rand() * 0.01;
    const y = 30 + rand() * 0.01;
    const s = 0.0005 + rand() * 0.003;
    layer.push({ type: 'Polygon', coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]] });
  }
  // Shuffle, so the lowest index is not always a lattice quad.
  for (let i = layer.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [layer[i], layer[j]] = [layer[j], layer[i]];
  }
  return layer;
}

t.test('the bucket grid answers like a brute force over every polygon', async (t) => {
  const rand = prng(4);
  const layer = randomLayer(rand);
  const index = PolygonIndex.build(layer);
  // Random points, plus every vertex and every edge midpoint: shared edges and vertices.
  const points: Array<[number, number]> = [];
  for (let i = 0; i < 20000; i++) points.push([119.9995 + rand() * 0.013, 29.9995 + rand() * 0.013]);
  for (const g of layer) {
    const ring = g.coordinates[0];
    for (let i = 0; i + 1 < ring.length; i++) {
      points.push(ring[i]);
      points.push([(ring[i][0] + ring[i + 1][0]) / 2, (ring[i][1] + ring[i + 1][1]) / 2]);
    }
  }
  let wrong = 0;
  let wrongAll = 0;
  let overlaps = 0;
  for (const [x, y] of points) {
    if (index.containing(x, y) !== bruteContaining(index, x, y)) wrong++;
    const all = bruteAll(index, x, y);
    if (all.length > 1) overlaps++;
    if (index.allContaining(x, y).join() !== all.join()) wrongAll++;
  }
  t.equal(wrong, 0, `containing() equals the lowest containing polygon on ${points.length} points`);
  t.equal(wrongAll, 0, 'allContaining() equals every containing polygon, ascending');
  t.ok(overlaps > 100, `overlapping candidates were exercised (${overlaps} points)`);
});

t.test('a layer of large overlapping polygons still answers exactly (the bucket grid coarsens)', async (t) => {
  const rand = prng(9);
  const layer: PolygonGeometry[] = Array.from({ length: 400 }, () => {
    const x = rand() * 0.1;
    const y = rand() * 0.1;
    return { type: 'Polygon', coordinates: [[[x, y], [x + 0.9, y], [x + 0.9, y + 0.9], [x, y + 0.9], [x, y]]] };
  });
  const index = PolygonIndex.build(layer);
  let wrong = 0;
  for (let i = 0; i < 2000; i++) {
    const x = rand();
    const y = rand();
    if (index.containing(x, y) !== bruteContaining(index, x, y)) wrong++;
    if (index.allContaining(x, y).join() !== bruteAll(index, x, y).join()) wrong++;
  }
  t.equal(wrong, 0);
});

t.test('degenerate extents: one polygon, polygons on one line, points outside', async (t) => {
  const square: PolygonGeometry = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
  const one = PolygonIndex.build([square]);
  t.equal(one.containing(0.5, 0.5), 0);
  t.equal(one.containing(1.5, 0.5), -1);
  t.equal(one.containing(Number.NaN, 0.5), -1);
  const flat: PolygonGeometry = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [2, 0], [0, 0]]] };
  t.equal(PolygonIndex.build([flat, flat]).containing(0.5, 0), -1, 'a zero-area layer contains nothing');
});
