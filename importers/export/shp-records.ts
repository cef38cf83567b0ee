import type { Geometry, Position } from '../../src/domain/types.js';
import { boxOf, signedArea2, type Box } from '../geometry.js';
import type { Family } from './schema.js';

/**
 * Shapes as the ESRI Shapefile Technical Description (1998) lays them out, little-endian content:
 *
 *   Point:      type(4) x(8) y(8)
 *   MultiPoint: type(4) box(32) numPoints(4) points(16n)
 *   PolyLine / Polygon: type(4) box(32) numParts(4) numPoints(4) parts(4p) points(16n)
 *
 * Polygon rings follow the spec's winding, the reverse of RFC 7946's (y up):
 *
 *     outer ring: clockwise            hole: counter-clockwise
 *       ┌──→──┐                           ┌──←──┐
 *       ↑     ↓                           ↓     ↑
 *       └──←──┘                           └──→──┘
 *
 * A multi-part polygon is all its rings in one record; readers group holes into outers by winding and
 * containment (importers/geometry.ts assemblePolygon does).
 */
export const SHAPE_TYPES: Record<Family, number> = { point: 1, multipoint: 8, line: 3, polygon: 5 };

function closed(ring: Position[]): Position[] {
  const [a, b] = [ring[0], ring[ring.length - 1]];
  return a[0] === b[0] && a[1] === b[1] ? ring : [...ring, a];
}

/** Clockwise (cw = true) or counter-clockwise, reversing a copy only when needed. */
function wound(ring: Position[], cw: boolean): Position[] {
  const r = closed(ring);
  const area = signedArea2(r);
  return area === 0 || (area < 0) === cw ? r : [...r].reverse();
}

/** The parts of a line or polygon geometry as the record stores them. */
function partsOf(g: Geometry): Position[][] {
  switch (g.type) {
    case 'LineString': return [g.coordinates];
    case 'MultiLineString': return g.coordinates;
    case 'Polygon': return g.coordinates.map((r, i) => wound(r, i === 0));
    case 'MultiPolygon': return g.coordinates.flatMap((p) => p.map((r, i) => wound(r, i === 0)));
    default: return [];
  }
}

function writeBox(buf: Buffer, at: number, b: Box): void {
  b.forEach((v, i) => buf.writeDoubleLE(v, at + 8 * i));
}

function writePoints(buf: Buffer, at: number, points: readonly Position[]): void {
  points.forEach(([x, y], i) => {
    buf.writeDoubleLE(x, at + 16 * i);
    buf.writeDoubleLE(y, at + 16 * i + 8);
  });
}

/** A record's content (without the 8-byte record header) and its bounding box. */
export function shapeContent(g: Geometry): { content: Buffer; box: Box } {
  if (g.type === 'Point') {
    const content = Buffer.allocUnsafe(20);
    content.writeInt32LE(1, 0);
    content.writeDoubleLE(g.coordinates[0], 4);
    content.writeDoubleLE(g.coordinates[1], 12);
    return { content, box: [g.coordinates[0], g.coordinates[1], g.coordinates[0], g.coordinates[1]] };
  }
  if (g.type === 'MultiPoint') {
    const box = boxOf(g.coordinates);
    const content = Buffer.allocUnsafe(40 + 16 * g.coordinates.length);
    content.writeInt32LE(8, 0);
    writeBox(content, 4, box);
    content.writeInt32LE(g.coordinates.length, 36);
    writePoints(content, 40, g.coordinates);
    return { content, box };
  }
  const parts = partsOf(g);
  const points = parts.flat();
  const box = boxOf(points);
  const content = Buffer.allocUnsafe(44 + 4 * parts.length + 16 * points.length);
  content.writeInt32LE(g.type === 'Polygon' || g.type === 'MultiPolygon' ? 5 : 3, 0);
  writeBox(content, 4, box);
  content.writeInt32LE(parts.length, 36);
  content.writeInt32LE(points.length, 40);
  let start = 0;
  parts.forEach((p, i) => {
    content.writeInt32LE(start, 44 + 4 * i);
    start += p.length;
  });
  writePoints(content, 44 + 4 * parts.length, points);
  return { content, box };
}

/** The 100-byte header shared by .shp and .shx; lengths are in 16-bit words. */
export function shpHeader(shapeType: number, fileBytes: number, box: Box): Buffer {
  const h = Buffer.alloc(100);
  h.writeInt32BE(9994, 0);
  h.writeInt32BE(fileBytes / 2, 24);
  h.writeInt32LE(1000, 28);
  h.writeInt32LE(shapeType, 32);
  // An empty file has no extent; zeros are what GDAL writes then.
  writeBox(h, 36, Number.isFinite(box[0]) ? box : [0, 0, 0, 0]);
  return h;
}
