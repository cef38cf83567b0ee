import type { MvtGeometry } from './mvt-writer.js';
import type { TileFrame } from './mercator.js';
import { POINT, LINE, type TileLayerIndex } from './layer-index.js';
import { boxInside, clipLine, clipRing } from './clip.js';
import { absArea, quantise, simplify } from './simplify.js';

/** How a layer's features are cut: simplification tolerance and the smallest ring kept, in tile units. */
export interface CutOptions {
  /** Douglas–Peucker tolerance; 0 keeps every vertex. */
  tolerance: number;
  /** Rings smaller than this many square units vanish (a grid at z8 is a speck, not a polygon). */
  minRingArea: number;
}

export const DEFAULT_CUT: CutOptions = { tolerance: 1, minRingArea: 1 };

/**
 * Feature f of the index as integer geometry in the frame's tile units, or null when nothing of it is
 * left in the tile. Steps per part: shift and scale from normalised space (the only per-request
 * arithmetic — rows were projected at build), clip to the tile plus buffer unless the feature's bbox is
 * inside it, simplify lines and rings, drop rings below minRingArea, round.
 */
export function cutFeature(index: TileLayerIndex, f: number, frame: TileFrame, options = DEFAULT_CUT): MvtGeometry | null {
  const kind = index.kind[f];
  if (kind === POINT) return cutPoints(index, f, frame);
  const min = -frame.buffer;
  const max = frame.extent + frame.buffer;
  const b = index.bboxes;
  const inside = boxInside(
    toTile(b[4 * f], frame.scale, frame.x * frame.extent), toTile(b[4 * f + 1], frame.scale, frame.y * frame.extent),
    toTile(b[4 * f + 2], frame.scale, frame.x * frame.extent), toTile(b[4 * f + 3], frame.scale, frame.y * frame.extent),
    min, max,
  );
  return kind === LINE ? cutLines(index, f, frame, inside, options) : cutPolygons(index, f, frame, inside, options);
}

function toTile(v: number, scale: number, offset: number): number {
  return v * scale - offset;
}

/** Part p of the index in tile units (unrounded). */
function partInTile(index: TileLayerIndex, p: number, frame: TileFrame): number[] {
  const from = index.partStart[p];
  const to = index.partStart[p + 1];
  const out = new Array<number>((to - from) * 2);
  const ox = frame.x * frame.extent;
  const oy = frame.y * frame.extent;
  for (let v = from, i = 0; v < to; v++, i += 2) {
    out[i] = index.coords[2 * v] * frame.scale - ox;
    out[i + 1] = index.coords[2 * v + 1] * frame.scale - oy;
  }
  return out;
}

/** Points inside the tile plus buffer; a multipoint keeps those that are. */
function cutPoints(index: TileLayerIndex, f: number, frame: TileFrame): MvtGeometry | null {
  const min = -frame.buffer;
  const max = frame.extent + frame.buffer;
  const points: number[] = [];
  for (let p = index.featPart[f]; p < index.featPart[f + 1]; p++) {
    const v = index.partStart[p];
    const x = toTile(index.coords[2 * v], frame.scale, frame.x * frame.extent);
    const y = toTile(index.coords[2 * v + 1], frame.scale, frame.y * frame.extent);
    if (x >= min && x <= max && y >= min && y <= max) points.push(Math.round(x), Math.round(y));
  }
  return points.length > 0 ? { type: 'Point', points } : null;
}

function cutLines(index: TileLayerIndex, f: number, frame: TileFrame, inside: boolean, o: CutOptions): MvtGeometry | null {
  const lines: number[][] = [];
  for (let p = index.featPart[f]; p < index.featPart[f + 1]; p++) {
    const line = partInTile(index, p, frame);
    const parts = inside ? [line] : clipLine(line, -frame.buffer, frame.extent + frame.buffer);
    for (const part of parts) lines.push(quantise(simplify(part, o.tolerance, false)));
  }
  return lines.length > 0 ? { type: 'LineString', lines } : null;
}

/**
 * Rings grouped into polygons by the index's hole flags. A hole of a dropped exterior is dropped with it;
 * a hole clipped away or too small just disappears.
 */
function cutPolygons(index: TileLayerIndex, f: number, frame: TileFrame, inside: boolean, o: CutOptions): MvtGeometry | null {
  const polygons: number[][][] = [];
  let current: number[][] | null = null;
  for (let p = index.featPart[f]; p < index.featPart[f + 1]; p++) {
    const isHole = index.hole[p] === 1;
    if (isHole && !current) continue;
    let ring = partInTile(index, p, frame);
    if (!inside) ring = clipRing(ring, -frame.buffer, frame.extent + frame.buffer);
    ring = ring.length >= 6 ? simplify(ring, o.tolerance, true) : [];
    const keep = ring.length >= 6 && absArea(ring) >= o.minRingArea;
    if (!isHole) {
      current = keep ? [quantise(ring)] : null;
      if (current) polygons.push(current);
    } else if (keep) {
      current!.push(quantise(ring));
    }
  }
  return polygons.length > 0 ? { type: 'Polygon', polygons } : null;
}
