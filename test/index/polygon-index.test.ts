import t from 'tap';
import { readFileSync } from 'node:fs';
import { PolygonIndex } from '../../src/index/polygon-index.js';
import type { PolygonGeometry, MultiPolygonGeometry } from '../../src/domain/types.js';

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
