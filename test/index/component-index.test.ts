import t from 'tap';
import geodesic from 'geographiclib-geodesic';
import { ComponentIndex } from '../../src/index/component-index.js';
import { metresPerDegree } from '../../src/index/flat-geometry.js';
import type { Component, Geometry, Position } from '../../src/domain/types.js';
import { createRng } from '../../src/demo/prng.js';

/** Seeded, so the random layers are the same on every run (the demo generator's PRNG). */
function prng(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

const rand = prng(42);
const LON = 120.2;
const LAT = 30.27;
const CLASSES = ['0101', '0118', '0402', '0211', '0405'];
const at = (dx: number, dy: number): Position => [LON + dx, LAT + dy];

function randomGeometry(kind: number): Geometry {
  const x = (rand() - 0.5) * 0.02;
  const y = (rand() - 0.5) * 0.02;
  if (kind === 0) return { type: 'Point', coordinates: at(x, y) };
  if (kind === 1) return { type: 'LineString', coordinates: [at(x, y), at(x + 0.0004, y + 0.0001), at(x + 0.0006, y + 0.0005)] };
  const s = 0.0003;
  return { type: 'Polygon', coordinates: [[at(x, y), at(x + s, y), at(x + s, y + s), at(x, y + s), at(x, y)]] };
}

const components: Component[] = Array.from({ length: 5000 }, (_, i) => {
  const typeCode = CLASSES[i % CLASSES.length];
  const kind = typeCode === '0211' ? 1 : typeCode === '0405' ? 2 : 0;
  return {
    id: `330102${typeCode}${String(i + 1).padStart(6, '0')}`, major: typeCode.slice(0, 2), minor: typeCode.slice(2),
    name: 'x', competentUnit: null, ownerUnit: null, maintainerUnit: null, gridCode: null, state: '完好',
    initialDate: '2024-01-01', changedDate: null, dataSource: null, note: null, extra: {}, geometry: randomGeometry(kind),
  };
});
const index = new ComponentIndex(components);

/** Brute force over every component with the index's own distance: what nearby() must reproduce. */
function bruteForce(lon: number, lat: number, radius: number, limit: number, typeCode?: string) {
  const all = [];
  for (let i = 0; i < index.size; i++) {
    if (typeCode && index.ref(i).typeCode !== typeCode) continue;
    const d = index.distanceTo(i, lon, lat);
    if (d <= radius) all.push({ id: index.ref(i).id, d });
  }
  all.sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1));
  return all.slice(0, limit).map((h) => h.id);
}

t.test('nearby matches brute force, with and without a class filter', async (t) => {
  let mismatches = 0;
  for (let q = 0; q < 300; q++) {
    const lon = LON + (rand() - 0.5) * 0.02;
    const lat = LAT + (rand() - 0.5) * 0.02;
    const typeCode = q % 2 ? CLASSES[q % CLASSES.length] : undefined;
    const got = index.nearby(lon, lat, { radius: 150, limit: 5, typeCode }).map((h) => index.ref(h.index).id);
    if (got.join() !== bruteForce(lon, lat, 150, 5, typeCode).join()) mismatches++;
  }
  t.equal(mismatches, 0);
});

t.test('nearest (best-first over the tree) stays exact far from anything', async (t) => {
  let mismatches = 0;
  for (let q = 0; q < 100; q++) {
    const lon = LON + (rand() - 0.5) * 0.03;
    const lat = LAT + (rand() - 0.5) * 0.03;
    const got = index.nearest(lon, lat, 5, { typeCode: '0101' }).map((h) => index.ref(h.index).id);
    if (got.join() !== bruteForce(lon, lat, Infinity, 5, '0101').join()) mismatches++;
  }
  t.equal(mismatches, 0);
});

t.test('distances are true metres: within 0.1 % of the geodesic', async (t) => {
  const geod = geodesic.Geodesic.WGS84;
  let worst = 0;
  for (let q = 0; q < 500; q++) {
    const lon = LON + (rand() - 0.5) * 0.02;
    const lat = LAT + (rand() - 0.5) * 0.02;
    const i = Math.floor(rand() * index.size);
    if (index.ref(i).typeCode !== '0101') continue;
    const [plon, plat] = index.anchor(i);
    const truth = geod.Inverse(lat, lon, plat, plon).s12!;
    worst = Math.max(worst, Math.abs(index.distanceTo(i, lon, lat) - truth) / truth);
  }
  t.ok(worst < 0.001, `worst relative error ${worst}`);
});

t.test('raw-degree distance would pick another neighbour; the scaled one does not', async (t) => {
  // A is 90 m east, B is 100 m north. A degree of longitude is shorter than one of latitude at 30° N,
  // so in raw degrees B looks nearer (0.000902° vs 0.000937°); in metres A is.
  const { kx, ky } = metresPerDegree(LAT);
  const a: Component = { ...components[0], id: '3301020101000001', geometry: { type: 'Point', coordinates: [LON + 90 / kx, LAT] } };
  const b: Component = { ...components[0], id: '3301020101000002', geometry: { type: 'Point', coordinates: [LON, LAT + 100 / ky] } };
  const small = new ComponentIndex([a, b]);
  t.ok(100 / ky < 90 / kx, 'in raw degrees B would win');
  const [first] = small.nearest(LON, LAT, 1);
  t.equal(small.ref(first.index).id, a.id, 'A, 90 m away, is the nearest');
  t.ok(Math.abs(first.distance - 90) < 0.01);
});

t.test('line and polygon distances', async (t) => {
  const line: Component = { ...components[0], id: '3301020211000001', major: '02', minor: '11', geometry: { type: 'LineString', coordinates: [at(0, 0), at(0.001, 0)] } };
  const poly: Component = { ...components[0], id: '3301020405000001', major: '04', minor: '05', geometry: { type: 'Polygon', coordinates: [[at(0.002, 0), at(0.003, 0), at(0.003, 0.001), at(0.002, 0.001), at(0.002, 0)]] } };
  const small = new ComponentIndex([line, poly]);
  const { ky } = metresPerDegree(LAT);
  const above = small.distanceTo(small.indexOf(line.id), LON + 0.0005, LAT + 20 / ky);
  t.ok(Math.abs(above - 20) < 0.001, 'to the nearest point of a line, not its vertices');
  t.equal(small.distanceTo(small.indexOf(poly.id), LON + 0.0025, LAT + 0.0005), 0, 'inside a polygon: 0');
  t.same(small.nearby(LON + 0.0025, LAT + 0.0005, { radius: 10, limit: 5 }).map((h) => small.ref(h.index).id), [poly.id]);
  t.same(small.nearby(LON, LAT, { radius: 10, limit: 5, typeCode: '9999' }), [], 'an unknown class finds nothing');
});

t.test('k nearest equal brute force exactly, ties and all', async (t) => {
  // A lattice of points 10 m apart (a query at a lattice node has four neighbours at exactly the same
  // distance), duplicates on the same spot, multi-points, lines and polygons: every tie must go to the
  // smaller id, and distances must be bit-identical to distanceTo's.
  const { kx, ky } = metresPerDegree(LAT);
  const comps: Component[] = [];
  const add = (typeCode: string, geometry: Geometry) => comps.push({
    ...components[0], id: `330102${typeCode}${String(comps.length + 1).padStart(6, '0')}`,
    major: typeCode.slice(0, 2), minor: typeCode.slice(2), geometry,
  });
  for (let ix = 0; ix < 30; ix++) {
    for (let iy = 0; iy < 30; iy++) {
      const p = at((ix * 10) / kx, (iy * 10) / ky);
      add('0101', { type: 'Point', coordinates: p });
      if ((ix + iy) % 7 === 0) add('0118', { type: 'Point', coordinates: p });
    }
  }
  const lrand = prng(7);
  for (let i = 0; i < 200; i++) {
    const x = (lrand() * 300) / kx;
    const y = (lrand() * 300) / ky;
    add('0402', { type: 'MultiPoint', coordinates: [at(x, y), at(x + 15 / kx, y)] });
    add('0211', { type: 'LineString', coordinates: [at(x, y), at(x + 20 / kx, y + 5 / ky)] });
    if (i % 4 === 0) add('0405', { type: 'Polygon', coordinates: [[at(x, y), at(x + 8 / kx, y), at(x + 8 / kx, y + 8 / ky), at(x, y + 8 / ky), at(x, y)]] });
  }
  const small = new ComponentIndex(comps);
  const brute = (lon: number, lat: number, k: number, radius: number, typeCode?: string) => {
    const all: Array<{ index: number; distance: number }> = [];
    for (let i = 0; i < small.size; i++) {
      if (typeCode && small.ref(i).typeCode !== typeCode) continue;
      const distance = small.distanceTo(i, lon, lat);
      if (distance <= radius) all.push({ index: i, distance });
    }
    return all.sort((a, b) => a.distance - b.distance || a.index - b.index).slice(0, k);
  };
  let mismatches = 0;
  let ties = 0;
  for (let q = 0; q < 400; q++) {
    // Half the queries on lattice nodes or midpoints (exact ties), half anywhere.
    const onLattice = q % 2 === 0;
    const lon = onLattice ? LON + (Math.floor(lrand() * 60) * 5) / kx : LON + ((lrand() * 340 - 20) / kx);
    const lat = onLattice ? LAT + (Math.floor(lrand() * 60) * 5) / ky : LAT + ((lrand() * 340 - 20) / ky);
    const k = [1, 5, 12, 40][q % 4];
    const typeCode = q % 5 === 0 ? '0211' : q % 7 === 0 ? '0118' : undefined;
    const want = brute(lon, lat, k, 20000, typeCode);
    const got = small.nearest(lon, lat, k, { typeCode });
    for (let j = 1; j < want.length; j++) if (want[j].distance === want[j - 1].distance) ties++;
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches++;
    const radius = 5 + (q % 9) * 7;
    const near = small.nearby(lon, lat, { radius, limit: k, typeCode });
    if (JSON.stringify(near) !== JSON.stringify(brute(lon, lat, k, radius, typeCode))) mismatches++;
  }
  t.equal(mismatches, 0, 'nearest and nearby equal brute force: same components, order and distances');
  t.ok(ties > 100, `the queries hit exact ties (${ties})`);
});

t.test('nearest honours maxRadius and k; an empty index finds nothing', async (t) => {
  const far = index.nearest(LON + 1, LAT, 5, { maxRadius: 1000 });
  t.same(far, [], 'nothing within 1 km of a point 96 km away');
  t.equal(index.nearest(LON, LAT, 0).length, 0);
  t.equal(index.nearest(LON, LAT, 3).length, 3);
  t.same(new ComponentIndex([]).nearest(LON, LAT, 5), []);
  t.same(index.nearest(Number.NaN, LAT, 5), [], 'a NaN query finds nothing (and does not walk the whole tree)');
});
