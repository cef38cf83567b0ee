import type { Position } from '../domain/types.js';
import type { XY } from './geometry.js';
import type { Projection } from './projection.js';
import type { Rng } from './prng.js';

/**
 * The jittered quad mesh every polygon of the demo city is cut from.
 *
 *   j=ny  o-----o-----o-----o        vertex (i, j): id = j*(nx+1) + i, shared by up to 4 cells
 *         |     |     |     |        cell (c, r):   id = r*nx + c, corners counter-clockwise
 *         o-----o-----o-----o            SW (c,r) → SE (c+1,r) → NE (c+1,r+1) → NW (c,r+1)
 *         | c,r |     |     |        row 0 is the southernmost; x grows east, y north
 *   j=0   o-----o-----o-----o
 *        i=0   i=1   ...   i=nx
 *
 * Each vertex is computed once (a gentle sine warp so roads curve, then a random jitter so no two
 * cells are alike), rounded to published lon/lat, and reused by every ring that passes through it.
 * Neighbouring grids, communities and streets therefore share edges bit for bit.
 * Warp slope ≤ 0.14 and jitter ≤ 0.14 cell keep every quad strictly convex (checked below).
 */
export interface Lattice {
  readonly nx: number;
  readonly ny: number;
  /** Nominal cell side in metres. */
  readonly size: number;
  readonly proj: Projection;
  /** Local (snapped) coordinates per vertex. */
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  /** Published lon/lat per vertex. */
  readonly lonlat: readonly Position[];
}

const WARP = 0.35;
const WARP_WAVELENGTH = 16;
const JITTER = 0.14;

export function vertexId(lat: Lattice, i: number, j: number): number {
  return j * (lat.nx + 1) + i;
}

export function vertexXY(lat: Lattice, v: number): XY {
  return [lat.vx[v], lat.vy[v]];
}

/** Vertex ids of a cell, counter-clockwise from the south-west corner. */
export function cellCorners(lat: Lattice, cell: number): [number, number, number, number] {
  const c = cell % lat.nx;
  const r = (cell - c) / lat.nx;
  const sw = vertexId(lat, c, r);
  const nw = vertexId(lat, c, r + 1);
  return [sw, sw + 1, nw + 1, nw];
}

/** Open counter-clockwise ring of a cell in local coordinates. */
export function cellRing(lat: Lattice, cell: number): XY[] {
  return cellCorners(lat, cell).map((v) => vertexXY(lat, v));
}

export function buildLattice(rng: Rng, nx: number, ny: number, size: number, proj: Projection): Lattice {
  const count = (nx + 1) * (ny + 1);
  const vx = new Float64Array(count);
  const vy = new Float64Array(count);
  const lonlat: Position[] = new Array(count);
  const phaseX = rng.range(0, 2 * Math.PI);
  const phaseY = rng.range(0, 2 * Math.PI);
  const k = (2 * Math.PI) / (WARP_WAVELENGTH * size);
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const bx = i * size;
      const by = j * size;
      const x = bx + WARP * size * Math.sin(k * by + phaseX) + rng.range(-JITTER, JITTER) * size;
      const y = by + WARP * size * Math.sin(k * bx + phaseY) + rng.range(-JITTER, JITTER) * size;
      const v = j * (nx + 1) + i;
      lonlat[v] = proj.toLonLat(x, y);
      [vx[v], vy[v]] = proj.toLocal(lonlat[v][0], lonlat[v][1]);
    }
  }
  const lattice = { nx, ny, size, proj, vx, vy, lonlat };
  assertConvex(lattice);
  return lattice;
}

/** Every cell must be a strictly convex, counter-clockwise quad for locate() to be exact. */
function assertConvex(lat: Lattice): void {
  for (let cell = 0; cell < lat.nx * lat.ny; cell++) {
    const ring = cellRing(lat, cell);
    for (let k = 0; k < 4; k++) {
      const a = ring[k];
      const b = ring[(k + 1) % 4];
      const c = ring[(k + 2) % 4];
      const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
      if (!(cross > 0)) throw new Error(`demo mesh: cell ${cell} is not convex`);
    }
  }
}

/**
 * Signed distance from a point to the nearest edge line of a cell: positive inside. For a convex
 * quad this is the distance to its boundary, so "> 0" is an exact inside test.
 */
export function cellClearance(lat: Lattice, cell: number, x: number, y: number): number {
  // Corner ids inline (SW, SE, NE, NW) rather than via cellCorners: this runs ~10⁶ times per city.
  const c = cell % lat.nx;
  const sw = ((cell - c) / lat.nx) * (lat.nx + 1) + c;
  const nw = sw + lat.nx + 1;
  return Math.min(
    edgeDistance(lat, sw, sw + 1, x, y),
    edgeDistance(lat, sw + 1, nw + 1, x, y),
    edgeDistance(lat, nw + 1, nw, x, y),
    edgeDistance(lat, nw, sw, x, y),
  );
}

/** Signed distance from a point to the line a → b, positive on its left. */
function edgeDistance(lat: Lattice, a: number, b: number, x: number, y: number): number {
  const ex = lat.vx[b] - lat.vx[a];
  const ey = lat.vy[b] - lat.vy[a];
  return (ex * (y - lat.vy[a]) - ey * (x - lat.vx[a])) / Math.sqrt(ex * ex + ey * ey);
}

/**
 * The cell strictly containing a point, and how far inside it is; null outside the mesh or on an
 * edge. Warp plus jitter move a vertex less than one cell, so the 3 × 3 cells around the nominal
 * one are the only candidates.
 */
export function locate(lat: Lattice, x: number, y: number): { cell: number; clearance: number } | null {
  const c0 = Math.floor(x / lat.size);
  const r0 = Math.floor(y / lat.size);
  for (let r = r0 - 1; r <= r0 + 1; r++) {
    if (r < 0 || r >= lat.ny) continue;
    for (let c = c0 - 1; c <= c0 + 1; c++) {
      if (c < 0 || c >= lat.nx) continue;
      const clearance = cellClearance(lat, r * lat.nx + c, x, y);
      if (clearance > 0) return { cell: r * lat.nx + c, clearance };
    }
  }
  return null;
}
