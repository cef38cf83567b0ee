/**
 * Geometry kernels over flat coordinate arrays (x0 y0 x1 y1 …), shared by every index so that grids,
 * admin areas, zones and components all apply the same boundary rule and the same distance.
 */

/**
 * Even–odd crossing test over rings [rFrom, rTo) whose vertex ranges are ringStart[r]..ringStart[r+1].
 * Half-open in y and strict in x: a point on an edge shared by two polygons is inside exactly one of
 * them (the one east of the edge; north of an east–west edge). Each edge's crossing is computed with
 * its endpoints taken south-first, so both polygons sharing the edge do bit-identical arithmetic.
 */
export function ringsContain(
  coords: Float64Array, ringStart: Uint32Array, rFrom: number, rTo: number, x: number, y: number,
): boolean {
  let inside = false;
  for (let r = rFrom; r < rTo; r++) {
    const start = ringStart[r];
    const end = ringStart[r + 1];
    for (let i = start, j = end - 1; i < end; j = i++) {
      const ay = coords[2 * i + 1];
      const by = coords[2 * j + 1];
      if (ay > y === by > y) continue;
      const ax = coords[2 * i];
      const bx = coords[2 * j];
      const xCross = ay < by ? ax + ((y - ay) * (bx - ax)) / (by - ay) : bx + ((y - by) * (ax - bx)) / (ay - by);
      if (x < xCross) inside = !inside;
    }
  }
  return inside;
}

/**
 * Metres per degree of longitude (kx) and latitude (ky) at a latitude, on the WGS84/CGCS2000 ellipsoid
 * (the radii of curvature; the same approximation as mapbox's cheap-ruler). Within a few kilometres of
 * that latitude, distances on the plane (dx·kx, dy·ky) agree with geodesic ones to well under 0.1 %,
 * where raw degrees would be off by cos(lat) — ~13 % east–west at 30° N — and pick the wrong neighbour.
 */
export function metresPerDegree(lat: number): { kx: number; ky: number } {
  const a = 6378137;
  const f = 1 / 298.257223563;
  const e2 = f * (2 - f);
  const rad = Math.PI / 180;
  const cos = Math.cos(lat * rad);
  const w2 = 1 / (1 - e2 * (1 - cos * cos));
  const w = Math.sqrt(w2);
  return { kx: rad * a * w * cos, ky: rad * a * w * w2 * (1 - e2) };
}

/** Squared distance (in scaled units) from (x, y) to the segment a–b, all pre-scaled by kx/ky. */
export function segmentDistanceSq(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - x;
  const ey = ay + t * dy - y;
  return ex * ex + ey * ey;
}

/**
 * Smallest distance in metres from (lon, lat) to the vertices [vFrom, vTo) taken as a path
 * (closed when `closed`), or as separate points when `asPoints`.
 */
export function pathDistance(
  coords: Float64Array, vFrom: number, vTo: number, lon: number, lat: number, kx: number, ky: number,
  mode: 'points' | 'open' | 'closed',
): number {
  let best = Infinity;
  if (mode === 'points' || vTo - vFrom === 1) {
    for (let v = vFrom; v < vTo; v++) {
      const dx = (coords[2 * v] - lon) * kx;
      const dy = (coords[2 * v + 1] - lat) * ky;
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
    return Math.sqrt(best);
  }
  const last = mode === 'closed' ? vTo : vTo - 1;
  for (let v = vFrom; v < last; v++) {
    const w = v + 1 < vTo ? v + 1 : vFrom;
    const d = segmentDistanceSq(
      0, 0,
      (coords[2 * v] - lon) * kx, (coords[2 * v + 1] - lat) * ky,
      (coords[2 * w] - lon) * kx, (coords[2 * w + 1] - lat) * ky,
    );
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}
