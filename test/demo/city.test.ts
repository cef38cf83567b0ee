import t, { type Test as Tap } from 'tap';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { openGazetteer } from '../../src/domain/gazetteer.js';
import type { ClassEntry, Geometry, Position } from '../../src/domain/types.js';
import { generateDemoCity, type DemoCity } from '../../src/demo/index.js';

// The dictionary file has no per-row standardVersion; the row type wants one.
const dictionary = JSON.parse(fs.readFileSync(new URL('../../data/classes/gbt30428.2-2013.json', import.meta.url), 'utf8')) as {
  version: string;
  classes: Omit<ClassEntry, 'standardVersion'>[];
};
const classes: ClassEntry[] = dictionary.classes.map((c) => ({ standardVersion: dictionary.version, ...c }));
const componentClasses = new Map(classes.filter((c) => c.category === 'component').map((c) => [c.typeCode, c]));
const gazetteer = openGazetteer();
t.teardown(() => gazetteer.close());

const SEED = 20240301;
const started = performance.now();
const city = generateDemoCity({ seed: SEED, gazetteer, classes });
const elapsedMs = performance.now() - started;

// ---- independent geometry helpers (the test does not reuse the generator's) -------------------

type Ring = Position[];
// Metres per degree at 30.27°N on the GRS80/CGCS2000 ellipsoid (standard series, 1 m accuracy).
const LAT0 = (30.27 * Math.PI) / 180;
const M_LAT = 111_132.954 - 559.822 * Math.cos(2 * LAT0) + 1.175 * Math.cos(4 * LAT0);
const M_LON = 111_412.84 * Math.cos(LAT0) - 93.5 * Math.cos(3 * LAT0);

function ringAreaM2(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    sum += ring[i][0] * M_LON * (ring[i + 1][1] * M_LAT) - ring[i + 1][0] * M_LON * (ring[i][1] * M_LAT);
  }
  return sum / 2;
}

function polygonsOf(g: Geometry): Ring[][] {
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  throw new Error(`not a polygon: ${g.type}`);
}

function areaM2(g: Geometry): number {
  return polygonsOf(g).reduce((sum, rings) => sum + rings.reduce((s, ring) => s + ringAreaM2(ring), 0), 0);
}

function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function contains(g: Geometry, [x, y]: Position): boolean {
  return polygonsOf(g).some((rings) => inRing(x, y, rings[0]) && !rings.slice(1).some((h) => inRing(x, y, h)));
}

function bboxOf(g: Geometry): [number, number, number, number] {
  const pts = polygonsOf(g).flatMap((rings) => rings[0]);
  return [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
}

/** Brute force over every grid (bbox first): the indices of grids containing the point. */
function gridsContaining(c: DemoCity, boxes: Float64Array, p: Position): number[] {
  const out: number[] = [];
  for (let i = 0; i < c.grids.length; i++) {
    const b = i * 4;
    if (p[0] < boxes[b] || p[0] > boxes[b + 2] || p[1] < boxes[b + 1] || p[1] > boxes[b + 3]) continue;
    if (contains(c.grids[i].geometry, p)) out.push(i);
  }
  return out;
}

function gridBoxes(c: DemoCity): Float64Array {
  const boxes = new Float64Array(c.grids.length * 4);
  c.grids.forEach((g, i) => boxes.set(bboxOf(g.geometry), i * 4));
  return boxes;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), s | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  const rnd = seeded(seed);
  return Array.from({ length: Math.min(n, items.length) }, () => items[Math.floor(rnd() * items.length)]);
}

function hashOf(c: DemoCity): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex');
}

function checkRings(t: Tap, label: string, g: Geometry): void {
  for (const rings of polygonsOf(g)) {
    rings.forEach((ring, k) => {
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (ring.length < 4 || first[0] !== last[0] || first[1] !== last[1]) t.fail(`${label}: ring ${k} not closed`);
      if (k === 0 ? ringAreaM2(ring) <= 0 : ringAreaM2(ring) >= 0) t.fail(`${label}: ring ${k} has the wrong orientation`);
    });
  }
}

// ---- invariants that hold at every scale --------------------------------------------------------

function checkInvariants(t: Tap, c: DemoCity, points: number): void {
  t.test('admin codes are real and nested', async (t) => {
    t.equal(c.countyCode, '330102');
    t.equal(c.district.code, '330102');
    t.equal(c.district.parentCode, null);
    for (const s of c.streets) {
      const real = gazetteer.street(s.code);
      t.ok(real && real.parentCode === '330102' && real.name === s.name, `street ${s.code} ${s.name}`);
      t.equal(s.parentCode, '330102');
    }
    const streetCodes = new Set(c.streets.map((s) => s.code));
    for (const com of c.communities) {
      const real = gazetteer.community(com.code);
      if (!real || real.parentCode !== com.parentCode || !streetCodes.has(com.parentCode!) || !real.name.startsWith(com.name.replace(/社区$/, ''))) {
        t.fail(`community ${com.code} ${com.name}`);
      }
    }
    t.equal(new Set(c.communities.map((x) => x.code)).size, c.communities.length, 'community codes unique');
  });

  t.test('grid codes: 15 digits, community prefix, sequence 001… per community', async (t) => {
    const byCommunity = new Map<string, number[]>();
    for (const g of c.grids) {
      if (!/^\d{15}$/.test(g.code) || !g.code.startsWith(g.communityCode)) t.fail(`grid code ${g.code}`);
      byCommunity.set(g.communityCode, [...(byCommunity.get(g.communityCode) ?? []), Number(g.code.slice(12))]);
    }
    t.same([...byCommunity.keys()].sort(), c.communities.map((x) => x.code).sort(), 'every community has grids');
    for (const [code, seqs] of byCommunity) t.same(seqs, seqs.map((_, i) => i + 1), `sequence of ${code}`);
    t.equal(new Set(c.grids.map((g) => g.code)).size, c.grids.length, 'grid codes unique');
  });

  t.test('rings are closed, exteriors counter-clockwise, holes clockwise', async (t) => {
    checkRings(t, 'district', c.district.geometry);
    for (const a of [...c.streets, ...c.communities]) checkRings(t, a.code, a.geometry);
    for (const g of c.grids) checkRings(t, g.code, g.geometry);
    for (const z of c.zones) checkRings(t, z.id, z.geometry);
    for (const x of c.components) if (x.geometry.type === 'Polygon') checkRings(t, x.id, x.geometry);
    t.pass('checked');
  });

  t.test('outlines run through the shared grid vertices', async (t) => {
    const vertices = new Set(c.grids.flatMap((g) => polygonsOf(g.geometry)[0][0].map((p) => `${p[0]},${p[1]}`)));
    const outlines = [c.district, ...c.streets, ...c.communities];
    const stray = outlines.flatMap((a) => polygonsOf(a.geometry).flat(2).filter((p) => !vertices.has(`${p[0]},${p[1]}`)));
    t.equal(stray.length, 0, 'every outline vertex is a grid vertex, bit for bit');
    const roadStray = c.roads.flatMap((r) => (r.geometry.type === 'LineString' ? r.geometry.coordinates : r.geometry.coordinates.flat()).filter((p) => !vertices.has(`${p[0]},${p[1]}`)));
    t.equal(roadStray.length, 0, 'roads run through grid vertices');
  });

  t.test('grids tile communities, communities tile streets, streets tile the district', async (t) => {
    const sumBy = (key: (code: string) => string) => {
      const m = new Map<string, number>();
      for (const g of c.grids) m.set(key(g.communityCode), (m.get(key(g.communityCode)) ?? 0) + areaM2(g.geometry));
      return m;
    };
    const perCommunity = sumBy((code) => code);
    for (const com of c.communities) {
      const rel = Math.abs(perCommunity.get(com.code)! - areaM2(com.geometry)) / areaM2(com.geometry);
      if (rel > 1e-6) t.fail(`community ${com.code}: grid areas differ by ${rel}`);
    }
    const perStreet = sumBy((code) => code.slice(0, 9));
    for (const s of c.streets) t.ok(Math.abs(perStreet.get(s.code)! - areaM2(s.geometry)) / areaM2(s.geometry) < 1e-6, `street ${s.code}`);
    const total = c.grids.reduce((sum, g) => sum + areaM2(g.geometry), 0);
    t.ok(Math.abs(total - areaM2(c.district.geometry)) / total < 1e-6, 'district');
  });

  t.test(`${points} random points: inside the district means inside exactly one grid`, async (t) => {
    const boxes = gridBoxes(c);
    const community = new Map(c.communities.map((x) => [x.code, x]));
    const rnd = seeded(7);
    const [w, s, e, n] = c.bbox;
    let inside = 0;
    let bad = 0;
    for (let k = 0; k < points; k++) {
      const p: Position = [w + (e - w) * rnd(), s + (n - s) * rnd()];
      const hits = gridsContaining(c, boxes, p);
      if (!contains(c.district.geometry, p)) {
        if (hits.length > 0) bad++;
        continue;
      }
      inside++;
      if (hits.length !== 1 || !contains(community.get(c.grids[hits[0]].communityCode)!.geometry, p)) bad++;
    }
    t.equal(bad, 0, `no gaps, overlaps or misplaced grids (${inside} points inside)`);
  });

  t.test('grid areas: ~10,000 m² on average, areaM2 agrees with the geometry', async (t) => {
    const mean = c.grids.reduce((sum, g) => sum + g.areaM2, 0) / c.grids.length;
    t.ok(mean >= 8000 && mean <= 12000, `mean ${mean.toFixed(0)} m²`);
    const off = c.grids.filter((g) => Math.abs(g.areaM2 - areaM2(g.geometry)) / g.areaM2 > 0.005);
    t.equal(off.length, 0, 'areaM2 within 0.5 % of the polygon');
  });

  t.test('components: ids, classes, geometry kinds, units, grid codes', async (t) => {
    const units = new Set(c.units.map((u) => u.code));
    t.equal(new Set(c.components.map((x) => x.id)).size, c.components.length, 'ids unique');
    const kinds = { Point: 'point', LineString: 'line', Polygon: 'polygon' } as Record<string, 'point' | 'line' | 'polygon'>;
    let bad = 0;
    for (const x of c.components) {
      const cls = componentClasses.get(x.major + x.minor);
      const idOk = /^\d{16}$/.test(x.id) && x.id.startsWith(`330102${x.major}${x.minor}`) && !x.id.endsWith('000000');
      const kindOk = !!cls && cls.geometryKinds.includes(kinds[x.geometry.type]);
      const ownerless = x.major + x.minor === '0114';
      const unitsOk = units.has(x.competentUnit!) && (ownerless ? x.ownerUnit === null && x.maintainerUnit === null : units.has(x.ownerUnit!) && units.has(x.maintainerUnit!));
      if (!idOk || !kindOk || !unitsOk || !x.gridCode || !x.initialDate) bad++;
    }
    t.equal(bad, 0, 'every component well-formed');
    const boxes = gridBoxes(c);
    const misplaced = sample(c.components, 1500, 11).filter((x) => {
      const pts = x.geometry.type === 'Point' ? [x.geometry.coordinates] : x.geometry.type === 'LineString' ? x.geometry.coordinates : polygonsOf(x.geometry)[0][0];
      return pts.some((p) => {
        const hits = gridsContaining(c, boxes, p);
        return hits.length !== 1 || c.grids[hits[0]].code !== x.gridCode;
      });
    });
    t.equal(misplaced.length, 0, 'gridCode is the grid containing the component (brute force)');
  });

  t.test('addresses: sides, order along the road, admin codes', async (t) => {
    const roads = new Map(c.roads.map((r) => [r.name, r.geometry.type === 'LineString' ? r.geometry.coordinates : r.geometry.coordinates[0]]));
    t.equal(roads.size, c.roads.length, 'road names unique');
    const along = new Map<string, { s: number; n: number }[]>();
    let wrongSide = 0;
    for (const a of c.addresses) {
      const line = roads.get(a.roadName)!;
      const { s, side } = project(line, a.geometry.coordinates);
      if ((a.number! % 2 === 1) !== side > 0 || a.houseNumber !== `${a.number}号`) wrongSide++;
      const key = `${a.roadName}/${a.number! % 2}`;
      along.set(key, [...(along.get(key) ?? []), { s, n: a.number! }]);
    }
    t.equal(wrongSide, 0, 'odd numbers left of the road direction, even right');
    let disorder = 0;
    for (const list of along.values()) {
      list.sort((a, b) => a.s - b.s);
      for (let i = 1; i < list.length; i++) if (list[i].n <= list[i - 1].n) disorder++;
    }
    t.equal(disorder, 0, 'numbers increase along each road');
    const wrongAdmin = sample(c.addresses, 1000, 13).filter((a) => {
      const com = c.communities.filter((x) => contains(x.geometry, a.geometry.coordinates));
      return com.length !== 1 || com[0].code !== a.communityCode || com[0].parentCode !== a.streetCode || a.districtCode !== '330102';
    });
    t.equal(wrongAdmin.length, 0, 'community and street codes of the containing community');
  });

  t.test('zones and units', async (t) => {
    const units = new Map(c.units.map((u) => [u.code, u]));
    t.equal(units.size, c.units.length, 'unit codes unique');
    for (const u of c.units) {
      const ok = u.kind === 'street_office' ? /^\d{9}$/.test(u.code) : u.kind === 'community' ? /^\d{12}$/.test(u.code) : validCreditCode(u.code);
      if (!ok) t.fail(`unit code ${u.code} (${u.kind})`);
    }
    for (const cls of componentClasses.values()) {
      if (cls.defaultCompetent && !c.units.some((u) => u.kind === cls.defaultCompetent)) t.fail(`no unit of kind ${cls.defaultCompetent}`);
    }
    t.equal(c.units.filter((u) => u.kind === 'street_office').length, c.streets.length, 'one office per street');
    for (const z of c.zones) {
      t.ok(units.has(z.responsibleUnit), `${z.name} has a responsible unit`);
      const [outer, ...holes] = polygonsOf(z.geometry)[0];
      for (const h of holes) t.ok(h.every((p) => inRing(p[0], p[1], outer)), `${z.name}: hole inside`);
    }
  });
}

/** Distance along a line of the point's foot, and which side the point is on (+ left). */
function project(line: Position[], p: Position): { s: number; side: number } {
  let best = { d: Infinity, s: 0, side: 0 };
  let start = 0;
  for (let k = 0; k + 1 < line.length; k++) {
    const ax = line[k][0] * M_LON, ay = line[k][1] * M_LAT;
    const dx = line[k + 1][0] * M_LON - ax, dy = line[k + 1][1] * M_LAT - ay;
    const px = p[0] * M_LON - ax, py = p[1] * M_LAT - ay;
    const len = Math.hypot(dx, dy);
    const u = Math.max(0, Math.min(len, (px * dx + py * dy) / len));
    const d = Math.hypot(px - (dx * u) / len, py - (dy * u) / len);
    if (d < best.d) best = { d, s: start + u, side: Math.sign(dx * py - dy * px) };
    start += len;
  }
  return best;
}

/** GB 32100 check character over the first 17 characters. */
function validCreditCode(code: string): boolean {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  const sum = weights.reduce((acc, w, i) => acc + chars.indexOf(code[i]) * w, 0);
  return chars[(31 - (sum % 31)) % 31] === code[17];
}

// ---- scale 1 -----------------------------------------------------------------------------------

t.test('scale 1', async (t) => {
  t.comment(`generateDemoCity at scale 1: ${elapsedMs.toFixed(0)} ms`);
  t.test('counts', async (t) => {
    t.equal(city.name, '杭州市上城区');
    t.ok(city.streets.length >= 3, `${city.streets.length} streets`);
    t.ok(city.communities.length >= 20, `${city.communities.length} communities`);
    t.ok(city.grids.length >= 5000, `${city.grids.length} grids`);
    t.ok(city.addresses.length >= 10000, `${city.addresses.length} addresses`);
    t.ok(city.components.length >= 100_000, `${city.components.length} components`);
    const classCount = new Set(city.components.map((x) => x.major + x.minor)).size;
    t.ok(classCount >= 30, `${classCount} component classes`);
    t.ok(city.components.filter((x) => x.major + x.minor === '0114').length >= 100, 'some hundreds of ownerless covers');
    for (const kind of ['line', 'polygon'] as const) {
      const n = city.components.filter((x) => (kind === 'line' ? x.geometry.type === 'LineString' : x.geometry.type === 'Polygon')).length;
      t.ok(n > 0, `${n} ${kind} components`);
    }
    t.ok(city.roads.length >= 20, `${city.roads.length} roads`);
    t.ok(city.units.length >= 25, `${city.units.length} units`);
    t.same(city.zones.map((z) => z.kind).filter((k) => k === 'park' || k === 'development_zone').sort(), ['development_zone', 'park']);
    t.ok(city.zones.some((z) => polygonsOf(z.geometry)[0].length > 1), 'a zone with a hole');
  });
  t.test('near the real 上城区', async (t) => {
    const [w, s, e, n] = city.bbox;
    t.ok(w > 120.15 && e < 120.27 && s > 30.22 && n < 30.32, `bbox ${city.bbox.join(', ')}`);
    t.same(city.bbox, bboxOf(city.district.geometry), 'bbox is the district extent');
  });
  checkInvariants(t, city, 20_000);
});

t.test('determinism', async (t) => {
  const again = generateDemoCity({ seed: SEED, gazetteer, classes });
  t.equal(hashOf(again), hashOf(city), 'same seed → identical output');
  const other = generateDemoCity({ seed: SEED + 1, gazetteer, classes });
  t.not(hashOf(other), hashOf(city), 'other seed → different output');
});

for (const scale of [0.02, 0.05, 0.3]) {
  t.test(`scale ${scale}`, async (t) => {
    const small = generateDemoCity({ seed: 99, scale, gazetteer, classes });
    t.ok(small.grids.length > 0 && small.addresses.length > 0 && small.components.length > 0, `${small.grids.length} grids, ${small.communities.length} communities`);
    checkInvariants(t, small, 5_000);
  });
}

t.test('scale below 0.02 is refused', async (t) => {
  t.throws(() => generateDemoCity({ seed: 1, scale: 0.01, gazetteer, classes }));
});
