import type { Position, Road } from '../domain/types.js';
import { vertexId, type Lattice } from './lattice.js';
import { laneNames, roadNames } from './names.js';
import type { Rng } from './prng.js';

/**
 * Roads run along mesh lines, through the shared mesh vertices, so they lie exactly on grid edges
 * (as real grid boundaries follow roads). Main roads every 4–6 cells in both directions span the
 * land they cross; a few stop at a crossing road (named 街). Short lanes (巷/弄) of 2–4 cells fill
 * in between. East–west roads run west → east and north–south roads north → south, the direction
 * house numbers grow in.
 */
export interface RoadLine {
  id: string;
  name: string;
  /** Mesh vertex ids along the road, in its direction. */
  vertices: number[];
  kind: 'main' | 'lane';
}

export interface RoadNetwork {
  lines: RoadLine[];
  /** Roads meeting at each junction vertex (two or more). */
  junctions: Map<number, number[]>;
  rows: Road[];
}

interface MeshLine {
  vertical: boolean;
  index: number;
}

export function buildRoads(rng: Rng, lat: Lattice, land: Uint8Array, countyCode: string): RoadNetwork {
  const nextRoad = roadNames(rng.fork('road-names'));
  const nextLane = laneNames(rng.fork('lane-names'));
  const verticals = spacedLines(rng, lat.nx).map((index) => ({ vertical: true, index }));
  const horizontals = spacedLines(rng, lat.ny).map((index) => ({ vertical: false, index }));
  const lines: RoadLine[] = [];
  for (const line of [...horizontals, ...verticals]) {
    const run = longestRun(lat, land, line);
    if (!run) continue;
    const crossings = (line.vertical ? horizontals : verticals).map((l) => l.index).filter((k) => k > run[0] && k < run[1]);
    const trimmed = crossings.length >= 2 && rng.chance(0.15) ? trim(rng, run, crossings) : run;
    const name = trimmed === run ? nextRoad() : nextRoad().replace(/路$/, '街');
    lines.push({ id: '', name, vertices: verticesOf(lat, line, trimmed), kind: 'main' });
  }
  addLanes(rng, lat, land, lines, new Set([...verticals, ...horizontals].map(key)), nextLane);
  lines.forEach((l, i) => (l.id = `R${String(i + 1).padStart(4, '0')}`));
  return { lines, junctions: junctionsOf(lines), rows: lines.map((l) => toRow(lat, l, countyCode)) };
}

/** Line indices 2–4 cells in from the edge, then every 4–6 cells. */
function spacedLines(rng: Rng, n: number): number[] {
  const out: number[] = [];
  for (let k = rng.int(2, 4); k <= n - 2; k += rng.int(4, 6)) out.push(k);
  return out;
}

function key(line: MeshLine): string {
  return `${line.vertical ? 'v' : 'h'}${line.index}`;
}

/** A mesh segment carries a road only with land on both sides (no roads along the river edge). */
function segmentOnLand(lat: Lattice, land: Uint8Array, line: MeshLine, k: number): boolean {
  const { nx } = lat;
  if (line.vertical) {
    const i = line.index;
    return i > 0 && i < nx && land[k * nx + i - 1] === 1 && land[k * nx + i] === 1;
  }
  const j = line.index;
  return j > 0 && j < lat.ny && land[(j - 1) * nx + k] === 1 && land[j * nx + k] === 1;
}

/** Longest stretch [from, to] (in vertex steps along the line) of land segments, at least 2 long. */
function longestRun(lat: Lattice, land: Uint8Array, line: MeshLine): [number, number] | null {
  const n = line.vertical ? lat.ny : lat.nx;
  let best: [number, number] | null = null;
  let start = -1;
  for (let k = 0; k <= n; k++) {
    const ok = k < n && segmentOnLand(lat, land, line, k);
    if (ok && start < 0) start = k;
    if (!ok && start >= 0) {
      if (!best || k - start > best[1] - best[0]) best = [start, k];
      start = -1;
    }
  }
  return best && best[1] - best[0] >= 2 ? best : null;
}

/** Cuts one end of a run back to a crossing road, leaving a T-junction. */
function trim(rng: Rng, run: [number, number], crossings: number[]): [number, number] {
  return rng.chance(0.5) ? [crossings[0], run[1]] : [run[0], crossings[crossings.length - 1]];
}

/** Vertex ids of a run, west → east for horizontal lines, north → south for vertical ones. */
function verticesOf(lat: Lattice, line: MeshLine, [from, to]: [number, number]): number[] {
  const out: number[] = [];
  for (let k = from; k <= to; k++) out.push(line.vertical ? vertexId(lat, line.index, k) : vertexId(lat, k, line.index));
  return line.vertical ? out.reverse() : out;
}

function addLanes(rng: Rng, lat: Lattice, land: Uint8Array, lines: RoadLine[], mainLines: Set<string>, nextName: () => string): void {
  const used = new Set<string>();
  const landCells = land.reduce((sum, v) => sum + v, 0);
  const wanted = Math.round(landCells / 150);
  for (let attempt = 0, made = 0; made < wanted && attempt < wanted * 20; attempt++) {
    const vertical = rng.chance(0.5);
    const line = { vertical, index: rng.int(1, (vertical ? lat.nx : lat.ny) - 1) };
    if (mainLines.has(key(line))) continue;
    const length = rng.int(2, 4);
    const from = rng.int(0, (vertical ? lat.ny : lat.nx) - length);
    const segs = Array.from({ length }, (_, s) => `${key(line)}:${from + s}`);
    if (segs.some((s) => used.has(s))) continue;
    if (!segs.every((_, s) => segmentOnLand(lat, land, line, from + s))) continue;
    segs.forEach((s) => used.add(s));
    lines.push({ id: '', name: nextName(), vertices: verticesOf(lat, line, [from, from + length]), kind: 'lane' });
    made++;
  }
}

function junctionsOf(lines: RoadLine[]): Map<number, number[]> {
  const at = new Map<number, number[]>();
  lines.forEach((line, r) => {
    for (const v of line.vertices) {
      const list = at.get(v);
      if (list) list.push(r);
      else at.set(v, [r]);
    }
  });
  for (const [v, roads] of at) if (roads.length < 2) at.delete(v);
  return at;
}

function toRow(lat: Lattice, line: RoadLine, countyCode: string): Road {
  const coordinates = line.vertices.map((v): Position => [lat.lonlat[v][0], lat.lonlat[v][1]]);
  return { id: line.id, name: line.name, districtCode: countyCode, geometry: { type: 'LineString', coordinates } };
}
