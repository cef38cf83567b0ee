import type { XY } from './geometry.js';
import { vertexXY, type Lattice } from './lattice.js';
import type { Rng } from './prng.js';
import type { RoadLine, RoadNetwork } from './roads.js';

/**
 * Positions beside a road, by distance along it (s) and signed offset from the centreline
 * (positive = left of the road's direction, negative = right).
 *
 *        left  (+)   odd numbers      • lamp   • tree      • 1号     • 3号
 *   ──────────────────────────────────────────────────────────────▶  road direction
 *        right (−)   even numbers     • lamp   • tree      • 2号     • 4号
 *
 * Every mesh vertex on a road has a grid edge leaving it sideways, and junctions have a whole
 * crossing road, so samplers keep a margin around them along the road.
 */
export interface RoadPath {
  line: RoadLine;
  points: XY[];
  /** Distance from the start to each point. */
  cum: number[];
  length: number;
  /** Junctions along this road: distance, mesh vertex, and the names of the other roads there. */
  junctions: { s: number; vertex: number; others: string[] }[];
}

export function roadPaths(lat: Lattice, network: RoadNetwork): RoadPath[] {
  return network.lines.map((line) => {
    const points = line.vertices.map((v) => vertexXY(lat, v));
    const cum = [0];
    for (let k = 1; k < points.length; k++) cum.push(cum[k - 1] + Math.hypot(points[k][0] - points[k - 1][0], points[k][1] - points[k - 1][1]));
    const junctions = line.vertices.flatMap((vertex, k) => {
      const roads = network.junctions.get(vertex);
      if (!roads) return [];
      const others = roads.map((r) => network.lines[r].name).filter((name) => name !== line.name);
      return [{ s: cum[k], vertex, others }];
    });
    return { line, points, cum, length: cum[cum.length - 1], junctions };
  });
}

/** Index of the segment holding distance s. */
function segmentAt(path: RoadPath, s: number): number {
  let lo = 0;
  let hi = path.cum.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (path.cum[mid] <= s) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The point at distance s, moved `offset` metres to the left (negative: right) of the road. */
export function pointBeside(path: RoadPath, s: number, offset: number): XY {
  const k = segmentAt(path, s);
  const [ax, ay] = path.points[k];
  const [bx, by] = path.points[k + 1];
  const len = path.cum[k + 1] - path.cum[k];
  const tx = (bx - ax) / len;
  const ty = (by - ay) / len;
  const t = s - path.cum[k];
  return [ax + tx * t - ty * offset, ay + ty * t + tx * offset];
}

/** Distance along the road to the nearest mesh vertex, and to the nearest junction. */
export function clearanceAlong(path: RoadPath, s: number): { vertex: number; junction: number } {
  const k = segmentAt(path, s);
  const vertex = Math.min(s - path.cum[k], path.cum[k + 1] - s);
  let junction = Infinity;
  for (const j of path.junctions) junction = Math.min(junction, Math.abs(j.s - s));
  return { vertex, junction };
}

export interface SampleOptions {
  /** Gap between consecutive samples, drawn uniformly from [min, max] metres. */
  spacing: [number, number];
  /** Metres kept free along the road around every mesh vertex and every junction. */
  vertexGap?: number;
  junctionGap?: number;
}

/** Distances along the road, spaced at random, skipping the margins around vertices and junctions. */
export function distancesAlong(rng: Rng, path: RoadPath, opts: SampleOptions): number[] {
  const [min, max] = opts.spacing;
  const out: number[] = [];
  for (let s = rng.range(min / 2, max); s < path.length - 1; s += rng.range(min, max)) {
    const gap = clearanceAlong(path, s);
    if (gap.vertex < (opts.vertexGap ?? 2) || gap.junction < (opts.junctionGap ?? 10)) continue;
    out.push(s);
  }
  return out;
}
