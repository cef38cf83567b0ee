/**
 * Small planar helpers on local (metre) coordinates. Rings are arrays of [x, y], closed or not;
 * the shoelace sum ignores a repeated closing point because its last term is zero.
 */
export type XY = [number, number];

/** Signed area by the shoelace formula: positive for a counter-clockwise ring. */
export function signedArea(ring: readonly XY[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return sum / 2;
}

/** Crossing-number test; a point exactly on an edge may go either way (callers keep clear of edges). */
export function pointInRing(x: number, y: number, ring: readonly XY[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the first ring and outside every following ring (holes). */
export function pointInPolygon(x: number, y: number, rings: readonly (readonly XY[])[]): boolean {
  if (!pointInRing(x, y, rings[0])) return false;
  for (let k = 1; k < rings.length; k++) if (pointInRing(x, y, rings[k])) return false;
  return true;
}

export function distanceToSegment(x: number, y: number, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

/** Smallest distance from a point to any edge of a ring. */
export function distanceToRing(x: number, y: number, ring: readonly XY[]): number {
  let best = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    best = Math.min(best, distanceToSegment(x, y, ring[j], ring[i]));
  }
  return best;
}

/** Vertex average of an open ring, enough for the convex shapes it is used on. */
export function centroid(ring: readonly XY[]): XY {
  let x = 0;
  let y = 0;
  for (const p of ring) {
    x += p[0];
    y += p[1];
  }
  return [x / ring.length, y / ring.length];
}

/** Scales an open ring about a point: a convex ring shrunk about an inner point stays inside it. */
export function scaleRing(ring: readonly XY[], about: XY, factor: number): XY[] {
  return ring.map(([x, y]): XY => [about[0] + (x - about[0]) * factor, about[1] + (y - about[1]) * factor]);
}
