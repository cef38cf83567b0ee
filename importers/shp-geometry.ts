import type { Geometry, Position } from '../src/domain/types.js';
import { ImportError } from './errors.js';
import { assemblePolygon } from './geometry.js';

/**
 * Decode the content of one .shp record (ESRI Shapefile Technical Description, 1998) into GeoJSON.
 * Z and M values are dropped: Wanmi is 2D. Every count and index is checked against the record length
 * before it is used, so a corrupt record becomes an IMPORT_BAD_SHP naming its row, never a RangeError.
 *
 *   Point:      type(4) x(8) y(8) [z m]
 *   MultiPoint: type(4) box(32) numPoints(4) points(16n) [z/m ranges and arrays]
 *   PolyLine / Polygon: type(4) box(32) numParts(4) numPoints(4) parts(4p) points(16n) [z/m]
 */

export const SHAPE_TYPES: Readonly<Record<number, string>> = {
  0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint',
  11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ', 18: 'MultiPointZ',
  21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch',
};

/** The 2D family of a shape type: 1 point, 3 line, 5 polygon, 8 multipoint (Z/M add 10/20). */
export function baseType(type: number): number {
  return type === 0 || type === 31 ? type : type % 10;
}

interface Where { row: number; file: string }

function bad(message: string, where: Where): ImportError {
  return new ImportError('IMPORT_BAD_SHP', `Record ${where.row} of the .shp is corrupt: ${message}.`, where);
}

function points(buf: Buffer, offset: number, n: number): Position[] {
  const out: Position[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = [buf.readDoubleLE(offset + 16 * i), buf.readDoubleLE(offset + 16 * i + 8)];
  return out;
}

function point(buf: Buffer, where: Where): Geometry {
  if (buf.length < 20) throw bad(`a point needs 20 bytes, the record has ${buf.length}`, where);
  return { type: 'Point', coordinates: [buf.readDoubleLE(4), buf.readDoubleLE(12)] };
}

function multiPoint(buf: Buffer, where: Where): Geometry | null {
  if (buf.length < 40) throw bad(`a multipoint needs at least 40 bytes, the record has ${buf.length}`, where);
  const n = buf.readInt32LE(36);
  if (n < 0 || 40 + 16 * n > buf.length) throw bad(`${n} points do not fit in ${buf.length} bytes`, where);
  return n === 0 ? null : { type: 'MultiPoint', coordinates: points(buf, 40, n) };
}

/** The parts of a PolyLine/Polygon record, each an array of positions. */
function parts(buf: Buffer, where: Where): Position[][] {
  if (buf.length < 44) throw bad(`a line or polygon needs at least 44 bytes, the record has ${buf.length}`, where);
  const numParts = buf.readInt32LE(36);
  const numPoints = buf.readInt32LE(40);
  if (numParts < 0 || numPoints < 0 || 44 + 4 * numParts + 16 * numPoints > buf.length) {
    throw bad(`${numParts} parts and ${numPoints} points do not fit in ${buf.length} bytes`, where);
  }
  const starts = Array.from({ length: numParts }, (_, i) => buf.readInt32LE(44 + 4 * i));
  if (starts.some((s, i) => s < 0 || s > numPoints || (i > 0 && s < starts[i - 1])) || (numParts > 0 && starts[0] !== 0)) {
    throw bad(`part indexes ${JSON.stringify(starts.slice(0, 8))} are not increasing from 0 within ${numPoints} points`, where);
  }
  const all = points(buf, 44 + 4 * numParts, numPoints);
  return starts.map((s, i) => all.slice(s, i + 1 < numParts ? starts[i + 1] : numPoints));
}

function polyLine(buf: Buffer, where: Where): Geometry | null {
  const lines = parts(buf, where).filter((l) => l.length > 0);
  if (lines.length === 0) return null;
  return lines.length === 1 ? { type: 'LineString', coordinates: lines[0] } : { type: 'MultiLineString', coordinates: lines };
}

/**
 * One record's geometry. `fileType` is the header's shape type: a record must be null or of the same
 * family (a PolygonZ record in a Polygon file is tolerated; a point in a polygon file is not).
 * Empty shapes (no parts or points) give null, like null shapes; validation reports both later.
 */
export function decodeShape(buf: Buffer, fileType: number, where: Where): Geometry | null {
  if (buf.length < 4) throw bad('content shorter than its shape type', where);
  const type = buf.readInt32LE(0);
  if (type === 0) return null;
  if (!(type in SHAPE_TYPES) || baseType(type) !== baseType(fileType)) {
    throw bad(`shape type ${type} in a file of ${SHAPE_TYPES[fileType] ?? fileType}`, where);
  }
  switch (baseType(type)) {
    case 1: return point(buf, where);
    case 8: return multiPoint(buf, where);
    case 3: return polyLine(buf, where);
    case 5: return assemblePolygon(parts(buf, where));
    default: throw new ImportError('IMPORT_UNSUPPORTED_SHAPE', `Record ${where.row}: ${SHAPE_TYPES[type]} shapes cannot be imported.`, where);
  }
}
