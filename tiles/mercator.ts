import { TileError } from './errors.js';

/**
 * Web Mercator in normalised [0, 1] space, the XYZ tile grid, and the tile frame every layer cuts with.
 *
 *   (0,0) ─────────── x ──────────► (1,0)        X = lon / 360 + 0.5
 *     │  tile (z, x, y) covers                   Y = 0.5 − ln((1 + sin φ) / (1 − sin φ)) / 4π
 *     y  [x/2^z, (x+1)/2^z) × [y/2^z, (y+1)/2^z)
 *     ▼                                          tile units: (X·2^z − x)·extent, y down
 *
 * Rows are projected once when a TileLayerIndex is built; a request only scales and shifts. Wanmi's data
 * is CGCS2000 (EPSG:4490), which differs from WGS84 by centimetres, far below a tile unit at z22.
 */

/** Tile coordinate extent of every layer Wanmi writes (MVT's default). */
export const EXTENT = 4096;
/** Highest zoom a tile request may ask for; sources stop refining earlier and clients overzoom. */
export const MAX_ZOOM = 22;
/** Default clip buffer around a tile, in tile units (PostGIS and martin use 64 of 4096 too). */
export const BUFFER = 64;

const MAX_LAT = 85.0511287798066;

export function mercatorX(lon: number): number {
  return lon / 360 + 0.5;
}

export function mercatorY(lat: number): number {
  const clamped = lat > MAX_LAT ? MAX_LAT : lat < -MAX_LAT ? -MAX_LAT : lat;
  const s = Math.sin((clamped * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
}

export function lonOf(x: number): number {
  return (x - 0.5) * 360;
}

export function latOf(y: number): number {
  return (360 / Math.PI) * Math.atan(Math.exp((1 - 2 * y) * Math.PI)) - 90;
}

/**
 * Checks a tile address before any work: z an integer in [0, MAX_ZOOM] (WANMI_TILE_ZOOM), x and y integers
 * in [0, 2^z) (WANMI_TILE_RANGE). Routes parse path strings to numbers and call this; so do sources.
 */
export function validateTile(z: number, x: number, y: number): void {
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) {
    throw new TileError('WANMI_TILE_ZOOM', 'z', `z must be an integer from 0 to ${MAX_ZOOM}, got ${z}`);
  }
  const n = 2 ** z;
  for (const [name, v] of [['x', x], ['y', y]] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new TileError('WANMI_TILE_RANGE', name, `${name} must be an integer from 0 to ${n - 1} at z${z}, got ${v}`);
    }
  }
}

/** Everything needed to move a normalised coordinate into one tile's units, and the box to search. */
export interface TileFrame {
  readonly z: number;
  readonly x: number;
  readonly y: number;
  readonly extent: number;
  readonly buffer: number;
  /** 2^z · extent: normalised → tile units before the shift. */
  readonly scale: number;
  /** Search box in normalised space: the tile grown by the buffer. */
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export function tileFrame(z: number, x: number, y: number, buffer = BUFFER, extent = EXTENT): TileFrame {
  const n = 2 ** z;
  const pad = buffer / extent;
  return {
    z, x, y, extent, buffer, scale: n * extent,
    minX: (x - pad) / n, minY: (y - pad) / n, maxX: (x + 1 + pad) / n, maxY: (y + 1 + pad) / n,
  };
}

/** Normalised x → tile units of the frame (not rounded). */
export function toTileX(frame: TileFrame, X: number): number {
  return X * frame.scale - frame.x * frame.extent;
}

export function toTileY(frame: TileFrame, Y: number): number {
  return Y * frame.scale - frame.y * frame.extent;
}

/** [west, south, east, north] in degrees of a normalised box. */
export function boundsOf(minX: number, minY: number, maxX: number, maxY: number): [number, number, number, number] {
  return [lonOf(minX), latOf(maxY), lonOf(maxX), latOf(minY)];
}
