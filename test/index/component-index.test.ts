import t from 'tap';
import geodesic from 'geographiclib-geodesic';
import { ComponentIndex } from '../../src/index/component-index.js';
import { metresPerDegree } from '../../src/index/flat-geometry.js';
import type { Component, Geometry, Position } from '../../src/domain/types.js';

/** Seeded PRNG (mulberry32) so the random city is the same on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
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

t.test('nearest grows its circle and stays exact', async (t) => {
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
