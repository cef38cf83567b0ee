import type { ClassEntry, Component, Grid } from '../../src/domain/types.js';
import type { CityData } from '../../src/store/city-writer.js';
import { buildDemoCityData } from '../../src/service/demo-city.js';
import { PolygonIndex } from '../../src/index/polygon-index.js';
import { createRng, type Rng } from '../../src/demo/prng.js';

/** The benchmark city: the demo generator at a large scale, topped up with seeded point components. */
export interface BenchCity {
  city: CityData;
  classes: ClassEntry[];
  /** [minLon, minLat, maxLon, maxLat] over every grid vertex. */
  bbox: [number, number, number, number];
  /** Components the generator made, and the seeded points added to reach the target count. */
  generated: number;
  added: number;
  generateMs: number;
  topUpMs: number;
}

/**
 * Builds the demo city at `scale`, then adds seeded point components until there are `components`.
 * The extra points are uniform in the city's bbox, kept only when they fall inside a grid (so they carry
 * a grid code like the generated ones), of a class drawn from the generated point components, with the
 * units of a generated component of that class, numbered after that class's highest sequence.
 */
export function buildBenchCity(scale: number, components: number, seed: number): BenchCity {
  let t = performance.now();
  const { city, classes } = buildDemoCityData({ scale });
  const generateMs = performance.now() - t;
  t = performance.now();
  const bbox = bboxOfGrids(city.grids);
  const generated = city.components.length;
  const extra = topUp(city, components - generated, bbox, createRng(seed));
  for (const c of extra) city.components.push(c);
  return { city, classes, bbox, generated, added: extra.length, generateMs, topUpMs: performance.now() - t };
}

function topUp(city: CityData, count: number, bbox: BenchCity['bbox'], rng: Rng): Component[] {
  if (count <= 0) return [];
  const grids = [...city.grids];
  const index = PolygonIndex.build(grids.map((g) => g.geometry));
  // Templates: one generated point component per class, and each class's highest sequence number.
  const templates = new Map<string, Component>();
  const lastSeq = new Map<string, number>();
  for (const c of city.components) {
    if (c.geometry.type !== 'Point') continue;
    const typeCode = c.major + c.minor;
    if (!templates.has(typeCode)) templates.set(typeCode, c);
    const seq = Number(c.id.slice(-6));
    if (seq > (lastSeq.get(typeCode) ?? 0)) lastSeq.set(typeCode, seq);
  }
  const pool = [...templates.values()];
  const out: Component[] = [];
  while (out.length < count) {
    const lon = rng.range(bbox[0], bbox[2]);
    const lat = rng.range(bbox[1], bbox[3]);
    const g = index.containing(lon, lat);
    if (g < 0) continue;
    const template = rng.pick(pool);
    const typeCode = template.major + template.minor;
    const seq = (lastSeq.get(typeCode) ?? 0) + 1;
    if (seq > 999_999) throw new Error(`bench: class ${typeCode} ran out of sequence numbers`);
    lastSeq.set(typeCode, seq);
    out.push({
      ...template,
      id: `${template.id.slice(0, -6)}${String(seq).padStart(6, '0')}`,
      gridCode: grids[g].code,
      state: '完好', initialDate: '2024-01-01', changedDate: null, dataSource: 'bench', note: null, extra: {},
      // The demo publishes 7 decimals; so do the extra points.
      geometry: { type: 'Point', coordinates: [round7(lon), round7(lat)] },
    });
  }
  return out;
}

/**
 * `n` seeded query points, uniform in the bbox, as a flat Float64Array [lon0, lat0, lon1, lat1, …].
 * With `keep`, only points it accepts are kept (e.g. points inside the managed area).
 */
export function queryPoints(n: number, bbox: BenchCity['bbox'], seed: number, keep?: (lon: number, lat: number) => boolean): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n;) {
    const lon = rng.range(bbox[0], bbox[2]);
    const lat = rng.range(bbox[1], bbox[3]);
    if (keep && !keep(lon, lat)) continue;
    out[2 * i] = lon;
    out[2 * i + 1] = lat;
    i++;
  }
  return out;
}

function bboxOfGrids(grids: readonly Grid[]): BenchCity['bbox'] {
  const box: BenchCity['bbox'] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of grids) {
    const rings = g.geometry.type === 'Polygon' ? g.geometry.coordinates : g.geometry.coordinates.flat();
    for (const ring of rings) {
      for (const [lon, lat] of ring) {
        if (lon < box[0]) box[0] = lon;
        if (lat < box[1]) box[1] = lat;
        if (lon > box[2]) box[2] = lon;
        if (lat > box[3]) box[3] = lat;
      }
    }
  }
  return box;
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}
