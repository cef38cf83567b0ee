import type { Geometry, MultiPolygonGeometry, PolygonGeometry, Position } from '../src/domain/types.js';

/**
 * Geometry helpers shared by the readers: shapefile ring grouping, RFC 7946 winding, and reprojection.
 *
 * Winding, with y pointing up:
 *
 *     shapefile outer ring: clockwise        GeoJSON (RFC 7946) outer ring: counter-clockwise
 *     shapefile hole:       counter-clockwise GeoJSON hole:                  clockwise
 */

/** Twice the signed area: > 0 counter-clockwise, < 0 clockwise (shoelace formula). */
export function signedArea2(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return sum;
}

function closed(ring: Position[]): Position[] {
  if (ring.length === 0) return ring;
  const [first, last] = [ring[0], ring[ring.length - 1]];
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, [first[0], first[1]]];
}

/** The ring oriented counter-clockwise (ccw = true) or clockwise. */
function oriented(ring: Position[], ccw: boolean): Position[] {
  const area = signedArea2(ring);
  return area === 0 || (area > 0) === ccw ? ring : [...ring].reverse();
}

/** [minX, minY, maxX, maxY]. */
export type Box = [number, number, number, number];

/** The bounding box of positions (a ring, a line, a point list). */
export function boxOf(points: Iterable<Position>): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return b;
}

const boxInside = (inner: Box, outer: Box) =>
  inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

/** Even-odd ray casting: 1 inside, -1 outside, 0 on the boundary. */
function pointInRing(p: Position, ring: Position[]): number {
  let inside = false;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    const cross = (xj - xi) * (p[1] - yi) - (yj - yi) * (p[0] - xi);
    const within = Math.min(xi, xj) <= p[0] && p[0] <= Math.max(xi, xj) && Math.min(yi, yj) <= p[1] && p[1] <= Math.max(yi, yj);
    if (cross === 0 && within) return 0;
    if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}

/** Whether `hole` lies in `outer`: its first vertex not on the outer's boundary decides. */
function ringInside(hole: Position[], outer: Position[]): boolean {
  for (const p of hole) {
    const r = pointInRing(p, outer);
    if (r !== 0) return r > 0;
  }
  return false;
}

/**
 * Group shapefile rings into polygons: 1. close each ring; 2. clockwise (and zero-area) rings are outers,
 * counter-clockwise ones holes; 3. each hole joins the smallest outer containing it (islands in lakes
 * nest correctly); 4. a hole inside no outer is kept as an outer of its own (writers that get the
 * orientation backwards must not lose rings); 5. rewind to RFC 7946.
 */
export function assemblePolygon(parts: Position[][]): PolygonGeometry | MultiPolygonGeometry | null {
  const rings = parts.filter((r) => r.length > 0).map(closed);
  if (rings.length === 0) return null;
  const outers = rings.filter((r) => signedArea2(r) <= 0).map((ring) => ({ ring, box: boxOf(ring), holes: [] as Position[][] }));
  const loose: Position[][] = [];
  for (const hole of rings.filter((r) => signedArea2(r) > 0)) {
    const box = boxOf(hole);
    const home = outers
      .filter((o) => boxInside(box, o.box) && ringInside(hole, o.ring))
      .sort((a, b) => Math.abs(signedArea2(a.ring)) - Math.abs(signedArea2(b.ring)))[0];
    if (home) home.holes.push(hole);
    else loose.push(hole);
  }
  const polygons: Position[][][] = [
    ...outers.map((o) => [oriented(o.ring, true), ...o.holes.map((h) => oriented(h, false))]),
    ...loose.map((ring) => [oriented(ring, true)]),
  ];
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0] }
    : { type: 'MultiPolygon', coordinates: polygons };
}

/** RFC 7946 winding for polygons that arrive as GeoJSON: outer counter-clockwise, holes clockwise. */
export function rewind(g: Geometry): Geometry {
  const poly = (rings: Position[][]) => rings.map((r, i) => oriented(r, i === 0));
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: poly(g.coordinates) };
  if (g.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: g.coordinates.map(poly) };
  return g;
}

/** A copy of `g` with every position passed through `f` (reprojection keeps ring orientation). */
export function mapPositions(g: Geometry, f: (x: number, y: number) => [number, number]): Geometry {
  // Points first, before any closure is made: a census of a million components is mostly points.
  if (g.type === 'Point') return { type: 'Point', coordinates: f(g.coordinates[0], g.coordinates[1]) };
  const p = (q: Position): Position => f(q[0], q[1]);
  switch (g.type) {
    case 'MultiPoint': return { type: 'MultiPoint', coordinates: g.coordinates.map(p) };
    case 'LineString': return { type: 'LineString', coordinates: g.coordinates.map(p) };
    case 'MultiLineString': return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => l.map(p)) };
    case 'Polygon': return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(p)) };
    case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: g.coordinates.map((s) => s.map((r) => r.map(p))) };
  }
}

/** Whether a bounding box could hold lon/lat degrees. */
export function looksLonLat(box: readonly [number, number, number, number]): boolean {
  return box[0] >= -180 && box[2] <= 180 && box[1] >= -90 && box[3] <= 90;
}
