import type { PolygonGeometry, Position } from '../domain/types.js';
import { signedArea, type XY } from './geometry.js';
import { cellCorners, vertexXY, type Lattice } from './lattice.js';

/**
 * The outline of a set of mesh cells, traced through the shared mesh vertices.
 *
 * Every cell edge whose neighbour is not in the set is a boundary edge, oriented as the cell's
 * counter-clockwise ring orients it (the set on its left). Chaining them gives counter-clockwise
 * outer rings and clockwise holes, as RFC 7946 wants. The partition removes pinches (two cells of
 * a set touching only corner to corner), so each vertex has at most one way out and a set that is
 * one 4-connected piece has exactly one outer ring. Every intermediate mesh vertex stays in the ring, so a community outline is exactly the union of
 * its grids' outer edges.
 */
export interface Outline {
  /** Closed rings of vertex ids: the outer ring first, then holes. */
  rings: number[][];
  geometry: PolygonGeometry;
}

export function traceOutline(lat: Lattice, cells: readonly number[], inSet: (cell: number) => boolean): Outline {
  const next = boundaryEdges(lat, cells, inSet);
  const rings: number[][] = [];
  for (const start of [...next.keys()].sort((a, b) => a - b)) {
    if (next.has(start)) rings.push(followLoop(next, start));
  }
  const areas = rings.map((ring) => signedArea(ring.map((v) => vertexXY(lat, v))));
  const outer = areas.map((a, i) => [a, i]).filter(([a]) => a > 0);
  if (outer.length !== 1) throw new Error(`demo outline: expected one outer ring, found ${outer.length}`);
  const ordered = [rings[outer[0][1]], ...rings.filter((_, i) => areas[i] < 0)];
  return {
    rings: ordered,
    geometry: { type: 'Polygon', coordinates: ordered.map((ring) => ring.map((v): Position => [lat.lonlat[v][0], lat.lonlat[v][1]])) },
  };
}

/** Boundary edges keyed by their start vertex; a vertex with two ways out is a pinch, refused. */
function boundaryEdges(lat: Lattice, cells: readonly number[], inSet: (cell: number) => boolean): Map<number, number> {
  const next = new Map<number, number>();
  for (const cell of cells) {
    const c = cell % lat.nx;
    const corners = cellCorners(lat, cell);
    // Neighbour across each edge of the CCW ring: south, east, north, west.
    const across = [
      cell >= lat.nx ? cell - lat.nx : -1,
      c < lat.nx - 1 ? cell + 1 : -1,
      cell < lat.nx * (lat.ny - 1) ? cell + lat.nx : -1,
      c > 0 ? cell - 1 : -1,
    ];
    for (let k = 0; k < 4; k++) {
      if (across[k] >= 0 && inSet(across[k])) continue;
      if (next.has(corners[k])) throw new Error('demo outline: cells touch corner to corner (pinch)');
      next.set(corners[k], corners[(k + 1) & 3]);
    }
  }
  return next;
}

function followLoop(next: Map<number, number>, start: number): number[] {
  const ring = [start];
  let at = start;
  do {
    const to = next.get(at);
    if (to === undefined) throw new Error('demo outline: open boundary');
    next.delete(at);
    ring.push(to);
    at = to;
  } while (at !== start);
  return ring;
}

/** The outline's rings in local coordinates, for point-in-polygon tests in the plane. */
export function outlineXY(lat: Lattice, outline: Outline): XY[][] {
  return outline.rings.map((ring) => ring.map((v) => vertexXY(lat, v)));
}
