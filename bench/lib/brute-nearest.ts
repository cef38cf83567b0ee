import type { Component, Position } from '../../src/domain/types.js';
import { metresPerDegree } from '../../src/index/flat-geometry.js';

/**
 * The reference answer for k-nearest components: every component measured, no index. Written apart
 * from ComponentIndex so that it checks it: the same metric (metres on the plane scaled at the query
 * latitude; 0 inside a polygon) and the same tie-break (smaller id first), none of its code.
 */
export class BruteNearest {
  private readonly ids: string[];
  /** Point components: position and rank (rank = position in id order). */
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  private readonly pRank: Uint32Array;
  /** Lines and polygons, kept as parts; few enough to walk as objects. */
  private readonly shapes: Array<{ rank: number; closed: boolean; parts: Position[][] }> = [];

  constructor(components: readonly Component[]) {
    const sorted = [...components].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.ids = sorted.map((c) => c.id);
    const points: Array<[number, Position]> = [];
    sorted.forEach((c, rank) => {
      const g = c.geometry;
      if (g.type === 'Point') points.push([rank, g.coordinates]);
      else if (g.type === 'MultiPoint') g.coordinates.forEach((p) => points.push([rank, p]));
      else if (g.type === 'LineString') this.shapes.push({ rank, closed: false, parts: [g.coordinates] });
      else if (g.type === 'MultiLineString') this.shapes.push({ rank, closed: false, parts: g.coordinates });
      else this.shapes.push({ rank, closed: true, parts: g.type === 'Polygon' ? g.coordinates : g.coordinates.flat() });
    });
    this.px = Float64Array.from(points, (p) => p[1][0]);
    this.py = Float64Array.from(points, (p) => p[1][1]);
    this.pRank = Uint32Array.from(points, (p) => p[0]);
  }

  /** The k nearest ids with their distances in metres, nearest first, ties by id. */
  nearest(lon: number, lat: number, k: number): { ids: string[]; distances: number[] } {
    const { kx, ky } = metresPerDegree(lat);
    const best = new TopK(k);
    const { px, py, pRank } = this;
    for (let i = 0; i < px.length; i++) {
      const dx = (px[i] - lon) * kx;
      const dy = (py[i] - lat) * ky;
      const d2 = dx * dx + dy * dy;
      if (d2 <= best.worstSq) best.offer(Math.sqrt(d2), pRank[i]);
    }
    for (const s of this.shapes) best.offer(shapeDistance(s.parts, s.closed, lon, lat, kx, ky), s.rank);
    return { ids: best.ranks.map((r) => this.ids[r]), distances: best.distances };
  }
}

/** The k smallest (distance, rank) pairs, kept sorted; a component offered twice (multi-part) keeps its best. */
class TopK {
  distances: number[] = [];
  ranks: number[] = [];
  worstSq = Infinity;
  constructor(private readonly k: number) {}

  offer(d: number, rank: number): void {
    const at = this.ranks.indexOf(rank);
    if (at >= 0) {
      if (d >= this.distances[at]) return;
      this.distances.splice(at, 1);
      this.ranks.splice(at, 1);
    }
    let i = this.distances.length;
    while (i > 0 && (this.distances[i - 1] > d || (this.distances[i - 1] === d && this.ranks[i - 1] > rank))) i--;
    if (i >= this.k) return;
    this.distances.splice(i, 0, d);
    this.ranks.splice(i, 0, rank);
    if (this.distances.length > this.k) {
      this.distances.pop();
      this.ranks.pop();
    }
    if (this.distances.length === this.k) this.worstSq = this.distances[this.k - 1] ** 2 * (1 + 1e-12);
  }
}

/** Metres from the query to a line (open) or polygon (closed rings; 0 inside by the even–odd rule). */
function shapeDistance(parts: Position[][], closed: boolean, lon: number, lat: number, kx: number, ky: number): number {
  if (closed) {
    let inside = false;
    for (const ring of parts) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > lat !== yj > lat && lon < xi + ((lat - yi) * (xj - xi)) / (yj - yi)) inside = !inside;
      }
    }
    if (inside) return 0;
  }
  let best = Infinity;
  for (const part of parts) {
    const pts = part.map(([x, y]) => [(x - lon) * kx, (y - lat) * ky]);
    if (pts.length === 1) best = Math.min(best, Math.hypot(pts[0][0], pts[0][1]));
    // A closed ring from GeoJSON repeats its first vertex, so consecutive pairs cover every edge.
    for (let i = 0; i + 1 < pts.length; i++) best = Math.min(best, originToSegment(pts[i], pts[i + 1]));
    if (closed && pts.length > 2) best = Math.min(best, originToSegment(pts[pts.length - 1], pts[0]));
  }
  return best;
}

function originToSegment(a: number[], b: number[]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, -(a[0] * dx + a[1] * dy) / len2)) : 0;
  return Math.hypot(a[0] + t * dx, a[1] + t * dy);
}
