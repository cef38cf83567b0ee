import Flatbush from 'flatbush';
import { segmentDistanceSq } from '../index/flat-geometry.js';

/**
 * Nearest-feature search for reverse geocoding, in a local metric plane: coordinates are scaled by
 * metres per degree at the city's latitude once at build (x·kx, y·ky), so flatbush's planar box
 * distances are metres and no request converts anything. Exact within a city (the scale varies by
 * under 0.1 % across 50 km at 30°N).
 */
export interface NearestHit {
  index: number;
  distanceM: number;
}

export class NearestPoints {
  private readonly tree: Flatbush | null;
  private readonly xy: Float64Array;

  constructor(points: ReadonlyArray<readonly [number, number]>, private readonly kx: number, private readonly ky: number) {
    this.xy = new Float64Array(points.length * 2);
    this.tree = points.length ? new Flatbush(points.length) : null;
    points.forEach(([lon, lat], i) => {
      const x = lon * kx;
      const y = lat * ky;
      this.xy[2 * i] = x;
      this.xy[2 * i + 1] = y;
      this.tree!.add(x, y, x, y);
    });
    this.tree?.finish();
  }

  nearest(lon: number, lat: number, radiusM: number): NearestHit | null {
    if (!this.tree) return null;
    const x = lon * this.kx;
    const y = lat * this.ky;
    const [i] = this.tree.neighbors(x, y, 1, radiusM);
    if (i === undefined) return null;
    return { index: i, distanceM: Math.hypot(this.xy[2 * i] - x, this.xy[2 * i + 1] - y) };
  }
}

/** Nearest road by exact distance to its segments. */
export class NearestLines {
  private readonly tree: Flatbush | null;
  /** Per segment: ax, ay, bx, by in metres. */
  private readonly seg: Float64Array;
  /** Per segment: the line it belongs to. */
  private readonly owner: Int32Array;

  constructor(lines: ReadonlyArray<readonly Float64Array[]>, private readonly kx: number, private readonly ky: number) {
    let n = 0;
    for (const parts of lines) for (const p of parts) n += Math.max(0, p.length / 2 - 1);
    this.seg = new Float64Array(n * 4);
    this.owner = new Int32Array(n);
    this.tree = n ? new Flatbush(n) : null;
    let s = 0;
    lines.forEach((parts, line) => {
      for (const p of parts) {
        for (let i = 2; i < p.length; i += 2, s++) {
          const [ax, ay, bx, by] = [p[i - 2] * kx, p[i - 1] * ky, p[i] * kx, p[i + 1] * ky];
          this.seg.set([ax, ay, bx, by], 4 * s);
          this.owner[s] = line;
          this.tree!.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
        }
      }
    });
    this.tree?.finish();
  }

  nearest(lon: number, lat: number, radiusM: number): NearestHit | null {
    if (!this.tree) return null;
    const x = lon * this.kx;
    const y = lat * this.ky;
    let best: NearestHit | null = null;
    for (const s of this.tree.search(x - radiusM, y - radiusM, x + radiusM, y + radiusM)) {
      const d = Math.sqrt(segmentDistanceSq(x, y, this.seg[4 * s], this.seg[4 * s + 1], this.seg[4 * s + 2], this.seg[4 * s + 3]));
      if (d <= radiusM && (!best || d < best.distanceM)) best = { index: this.owner[s], distanceM: d };
    }
    return best;
  }
}

const DIRECTIONS = ['东', '东北', '北', '西北', '西', '西南', '南', '东南'] as const;

/**
 * 方位: the direction from a reference (a house number, a place) to the point, in eight sectors,
 * as written in Chinese addresses: 望江路108号东北方向35米.
 */
export function direction(fromLon: number, fromLat: number, toLon: number, toLat: number, kx: number, ky: number): string {
  const angle = Math.atan2((toLat - fromLat) * ky, (toLon - fromLon) * kx);
  const sector = Math.round(angle / (Math.PI / 4));
  return DIRECTIONS[(sector + 8) % 8];
}
