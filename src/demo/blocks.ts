import type { CityFrame } from './frame.js';
import { centroid, pointInPolygon, scaleRing, signedArea, type XY } from './geometry.js';
import { cellRing } from './lattice.js';
import { SCULPTURE_NAMES, SITE_KINDS } from './names.js';
import type { Rng } from './prng.js';
import type { ComponentSink } from './sink.js';
import type { ZoneFrame } from './zones.js';

/**
 * Components inside blocks, away from the roads on the mesh lines: at most one polygon per grid
 * (绿地, 停车场 or 工地, shrunk from the cell so it stays in its grid) and scattered points at a
 * rate per grid (toilets, septic tanks, fitness sets, old trees, …). Parks and scenic areas get
 * more greenery, benches and lights.
 */
const POINT_RATES: readonly (readonly [string, number])[] = [
  ['0301', 0.05], ['0302', 0.15], ['0304', 0.08], ['0126', 0.12], ['0131', 0.004], ['0132', 0.01],
  ['0401', 0.012], ['0406', 0.01], ['0409', 0.04], ['0410', 0.004], ['0502', 0.03], ['0503', 0.02],
  ['0601', 0.003], ['0308', 0.002], ['0309', 0.001], ['0311', 0.003], ['0133', 0.003], ['0119', 0.05],
  ['0120', 0.06], ['0407', 0.1], ['0404', 0.05], ['0212', 0.15],
];

/** Extra rates for grids whose centre lies in a park or scenic area. */
const LEISURE_RATES: readonly (readonly [string, number])[] = [
  ['0120', 3], ['0119', 2], ['0407', 3], ['0404', 1], ['0406', 0.2], ['0410', 0.15], ['0409', 0.5], ['0301', 0.1],
];

export function placeBlocks(rng: Rng, sink: ComponentSink, frame: CityFrame, zones: readonly ZoneFrame[]): void {
  const leisure = zones.filter((z) => z.zone.kind === 'park' || z.zone.kind === 'scenic_area');
  for (let cell = 0; cell < frame.grids.cellGrid.length; cell++) {
    if (frame.grids.cellGrid[cell] < 0) continue;
    const ring = cellRing(frame.lattice, cell);
    const [cx, cy] = centroid(ring);
    const inLeisure = leisure.some((z) => pointInPolygon(cx, cy, z.rings));
    placePolygon(rng, sink, frame, cell, ring, inLeisure);
    for (const [code, rate] of inLeisure ? [...POINT_RATES, ...LEISURE_RATES] : POINT_RATES) {
      for (let n = draws(rng, rate); n > 0; n--) placeInCell(rng, sink, ring, code);
    }
  }
}

/** A whole count with the given mean: the integer part plus one more with the fractional chance. */
function draws(rng: Rng, rate: number): number {
  return Math.floor(rate) + (rng.chance(rate - Math.floor(rate)) ? 1 : 0);
}

/** A point well inside a convex cell: bilinear in the quad, 12–88 % across each way. */
function randomInCell(rng: Rng, ring: readonly XY[]): XY {
  const u = rng.range(0.12, 0.88);
  const v = rng.range(0.12, 0.88);
  const [sw, se, ne, nw] = ring;
  const sx = sw[0] + (se[0] - sw[0]) * u;
  const sy = sw[1] + (se[1] - sw[1]) * u;
  const nx = nw[0] + (ne[0] - nw[0]) * u;
  const ny = nw[1] + (ne[1] - nw[1]) * u;
  return [sx + (nx - sx) * v, sy + (ny - sy) * v];
}

function placeInCell(rng: Rng, sink: ComponentSink, ring: readonly XY[], code: string): void {
  const [x, y] = randomInCell(rng, ring);
  const extra = code === '0406' ? { sculptName: rng.pick(SCULPTURE_NAMES) } : {};
  const spot = sink.point(code, x, y, extra);
  // A toilet usually has a sign pointing to it from the nearest pavement.
  if (spot && code === '0301' && rng.chance(0.8)) placeInCell(rng, sink, ring, '0303');
}

function placePolygon(rng: Rng, sink: ComponentSink, frame: CityFrame, cell: number, ring: XY[], inLeisure: boolean): void {
  const x = rng.next();
  const green = inLeisure ? 0.6 : 0.1;
  const about = centroid(ring);
  if (x < green) {
    const shape = chamfer(scaleRing(ring, about, rng.range(0.35, 0.65)), 0.2);
    if (sink.shape('0405', 'polygon', shape, { areaM2: Math.round(signedArea(shape)) }) && rng.chance(0.5)) {
      const fence = scaleRing(shape, about, 1.04);
      sink.shape('0408', 'line', [...fence, fence[0]], { lengthM: Math.round(perimeter(fence)) });
    }
  } else if (x < green + 0.05) {
    const shape = scaleRing(ring, about, rng.range(0.3, 0.5));
    sink.shape('0201', 'polygon', shape, { spaces: Math.round(signedArea(shape) / 25) });
  } else if (x < green + 0.062) {
    const community = frame.admin.communities[frame.admin.cellCommunity[cell]];
    const siteName = `${community.name.replace(/社区$/, '')}${rng.pick(SITE_KINDS)}项目`;
    sink.shape('0602', 'polygon', scaleRing(ring, about, rng.range(0.6, 0.8)), { siteName });
  }
}

/** Cuts each corner of a convex ring, turning a quad into an octagon (still inside the quad). */
function chamfer(ring: readonly XY[], t: number): XY[] {
  return ring.flatMap((p, i) => {
    const prev = ring[(i + ring.length - 1) % ring.length];
    const next = ring[(i + 1) % ring.length];
    return [
      [p[0] + (prev[0] - p[0]) * t, p[1] + (prev[1] - p[1]) * t],
      [p[0] + (next[0] - p[0]) * t, p[1] + (next[1] - p[1]) * t],
    ] as XY[];
  });
}

function perimeter(ring: readonly XY[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [a, b] = [ring[i], ring[(i + 1) % ring.length]];
    sum += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return sum;
}
