import type { Geometry, Position } from '../domain/types.js';

/**
 * ISO Well-Known Binary (OGC 06-103r4 / ISO 19125) for Wanmi's six geometry types.
 *
 * Layout of one geometry (every nested part repeats the 5-byte header):
 *
 *   +-------+--------------+-----------------------------------------------+
 *   | order | type  uint32 | body                                          |
 *   | 1 B   | 4 B          | Point: x y (2 × f64)                          |
 *   +-------+--------------+ LineString: n uint32, n × (x y)               |
 *                          | Polygon: rings uint32, rings × (n, n × (x y)) |
 *                          | Multi*: parts uint32, parts × whole geometry  |
 *                          +-----------------------------------------------+
 *
 * Output is always little-endian 2D. Input may be either byte order, and may carry Z and/or M as ISO
 * type codes (1000/2000/3000 + type) or as EWKB flag bits (0x80000000 Z, 0x40000000 M, 0x20000000 SRID):
 * the extra ordinates and the SRID are skipped and a 2D geometry is returned, because Wanmi's model is
 * 2D CGCS2000 lon/lat and rejecting a 3D survey file outright helps nobody.
 *
 * Empty geometries: a LineString, Polygon or multi-geometry with no parts; an empty Point is written as POINT(NaN NaN)
 * (the GeoPackage and GEOS convention) and read back as a Point whose coordinates are [NaN, NaN].
 */

/** WKB geometry type codes (2D). */
const WKB_TYPE = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
} as const satisfies Record<Geometry['type'], number>;

const TYPE_BY_CODE: ReadonlyArray<Geometry['type'] | undefined> = [
  undefined, 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon',
];

const EWKB_Z = 0x80000000;
const EWKB_M = 0x40000000;
const EWKB_SRID = 0x20000000;

const HEADER = 5; // byte order + uint32 type
const COUNT = 4;
const XY = 16;

/** Error thrown for malformed, truncated or unsupported WKB; `code` is 'WKB_INVALID'. */
export class WkbError extends Error {
  readonly code = 'WKB_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'WkbError';
  }
}

/** [minX, minY, maxX, maxY]; all NaN for an empty geometry. */
export type Envelope = [number, number, number, number];

// ---------------------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------------------

/**
 * Encodes a geometry as little-endian 2D ISO WKB.
 *
 * 1. Compute the exact byte size from the coordinate counts (one allocation, no resizing).
 * 2. Write header, counts and coordinates with a DataView in one pass.
 *
 * @throws WkbError for an unknown geometry type or a position without two finite coordinates (only an
 *   empty Point, [NaN, NaN], may hold NaN).
 */
export function encodeWkb(g: Geometry): Buffer {
  const buf = Buffer.allocUnsafe(wkbSize(g));
  writeWkb(new DataView(buf.buffer, buf.byteOffset, buf.byteLength), 0, g);
  return buf;
}

/**
 * Encodes a geometry as little-endian 2D EWKB with an SRID (PostGIS's own input form, e.g. for COPY):
 * ISO WKB with the 0x20000000 flag on the outer type and the SRID after it.
 */
export function encodeEwkb(g: Geometry, srid: number): Buffer {
  const buf = Buffer.allocUnsafe(4 + wkbSize(g));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // The WKB goes 4 bytes in, so its body lands right after the 9-byte EWKB header written over its own.
  writeWkb(view, 4, g);
  const type = view.getUint32(5, true);
  view.setUint8(0, 1);
  view.setUint32(1, type | EWKB_SRID, true);
  view.setUint32(5, srid, true);
  return buf;
}

/**
 * Writes the WKB of `g` into `view` at `offset` and returns the offset after it; `view` must have
 * `wkbSize(g)` bytes from `offset`. Lets a container (the GeoPackage header) write header and WKB into
 * one buffer without a copy.
 */
export function writeWkb(view: DataView, offset: number, g: Geometry): number {
  let pos = writeHeader(view, offset, WKB_TYPE[g.type]);
  switch (g.type) {
    case 'Point': return isEmptyPoint(g.coordinates) ? writeNaNs(view, pos) : writeXY(view, pos, g.coordinates);
    case 'LineString': return writePositions(view, pos, g.coordinates);
    case 'Polygon': return writeRings(view, pos, g.coordinates);
    case 'MultiPoint':
      view.setUint32(pos, g.coordinates.length, true);
      pos += COUNT;
      for (const p of g.coordinates) pos = writeXY(view, writeHeader(view, pos, WKB_TYPE.Point), p);
      return pos;
    case 'MultiLineString':
      view.setUint32(pos, g.coordinates.length, true);
      pos += COUNT;
      for (const line of g.coordinates) pos = writePositions(view, writeHeader(view, pos, WKB_TYPE.LineString), line);
      return pos;
    case 'MultiPolygon':
      view.setUint32(pos, g.coordinates.length, true);
      pos += COUNT;
      for (const polygon of g.coordinates) pos = writeRings(view, writeHeader(view, pos, WKB_TYPE.Polygon), polygon);
      return pos;
    default: throw unknownType(g);
  }
}

/** Byte size of the WKB encoding of `g`. */
export function wkbSize(g: Geometry): number {
  switch (g.type) {
    case 'Point': return HEADER + XY;
    case 'LineString': return HEADER + COUNT + XY * g.coordinates.length;
    case 'Polygon': return HEADER + ringsSize(g.coordinates);
    case 'MultiPoint': return HEADER + COUNT + (HEADER + XY) * g.coordinates.length;
    case 'MultiLineString': {
      let size = HEADER + COUNT;
      for (const line of g.coordinates) size += HEADER + COUNT + XY * line.length;
      return size;
    }
    case 'MultiPolygon': {
      let size = HEADER + COUNT;
      for (const polygon of g.coordinates) size += HEADER + ringsSize(polygon);
      return size;
    }
    default: throw unknownType(g);
  }
}

function ringsSize(rings: Position[][]): number {
  let size = COUNT;
  for (const ring of rings) size += COUNT + XY * ring.length;
  return size;
}

function writeHeader(view: DataView, pos: number, type: number): number {
  view.setUint8(pos, 1); // 1 = little-endian (NDR)
  view.setUint32(pos + 1, type, true);
  return pos + HEADER;
}

function writeXY(view: DataView, pos: number, p: Position): number {
  const x = p[0];
  const y = p[1];
  // A missing or non-numeric ordinate would otherwise be stored as NaN and poison envelopes and indexes.
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    throw new WkbError(`Position ${JSON.stringify(p)} does not have two finite coordinates`);
  }
  view.setFloat64(pos, x, true);
  view.setFloat64(pos + 8, y, true);
  return pos + XY;
}

function writeNaNs(view: DataView, pos: number): number {
  view.setFloat64(pos, NaN, true);
  view.setFloat64(pos + 8, NaN, true);
  return pos + XY;
}

function isEmptyPoint(p: Position): boolean {
  return Number.isNaN(p[0]) && Number.isNaN(p[1]);
}

function writePositions(view: DataView, pos: number, positions: Position[]): number {
  view.setUint32(pos, positions.length, true);
  pos += COUNT;
  for (const p of positions) pos = writeXY(view, pos, p);
  return pos;
}

function writeRings(view: DataView, pos: number, rings: Position[][]): number {
  view.setUint32(pos, rings.length, true);
  pos += COUNT;
  for (const ring of rings) pos = writePositions(view, pos, ring);
  return pos;
}

function unknownType(g: never): WkbError {
  return new WkbError(`Unsupported geometry type ${JSON.stringify((g as { type?: unknown }).type)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------------

/** Cursor over the input. Byte order lives in each Header, since nested parts may switch it. */
interface Reader {
  view: DataView;
  pos: number;
}

/** Header of one (possibly nested) geometry. */
interface Header {
  type: Geometry['type'];
  little: boolean;
  /** Ordinates per position: 2, 3 (Z or M) or 4 (ZM). */
  dims: number;
}

/**
 * Decodes one WKB geometry starting at `offset` (bytes after it are ignored).
 *
 * 1. Read the byte order and the type code; split ISO dimension thousands and EWKB flag bits off the type.
 * 2. Skip an EWKB SRID if flagged.
 * 3. Read counts, checking each against the bytes left before allocating, then the x/y of each position,
 *    skipping Z/M ordinates.
 *
 * @throws WkbError (code 'WKB_INVALID') on truncated input, a bad byte-order byte, an unsupported type
 *   (GeometryCollection, curves, TIN…) or a multi-geometry whose parts have the wrong type.
 */
export function decodeWkb(buf: Uint8Array, offset = 0): Geometry {
  if (!Number.isInteger(offset) || offset < 0 || offset > buf.byteLength) {
    throw new WkbError(`WKB offset ${offset} is outside the ${buf.byteLength}-byte input`);
  }
  const reader: Reader = { view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), pos: offset };
  return readGeometry(reader);
}

function readGeometry(r: Reader): Geometry {
  const h = readHeader(r);
  switch (h.type) {
    case 'Point': return { type: 'Point', coordinates: readXY(r, h) };
    case 'LineString': return { type: 'LineString', coordinates: readPositions(r, h) };
    case 'Polygon': return { type: 'Polygon', coordinates: readRings(r, h) };
    case 'MultiPoint': return { type: 'MultiPoint', coordinates: readParts(r, h, 'Point', readXY) };
    case 'MultiLineString': return { type: 'MultiLineString', coordinates: readParts(r, h, 'LineString', readPositions) };
    case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: readParts(r, h, 'Polygon', readRings) };
  }
}

function readHeader(r: Reader): Header {
  need(r, HEADER);
  const order = r.view.getUint8(r.pos);
  if (order > 1) throw new WkbError(`Bad WKB byte order ${order} at byte ${r.pos}`);
  const little = order === 1;
  const raw = r.view.getUint32(r.pos + 1, little);
  r.pos += HEADER;
  // EWKB keeps the dimensions in the high bits; ISO adds 1000 (Z), 2000 (M) or 3000 (ZM) to the code.
  const flags = raw & 0xe0000000;
  const iso = raw & 0x1fffffff;
  const base = iso % 1000;
  const isoDims = Math.floor(iso / 1000);
  const type = TYPE_BY_CODE[base];
  if (type === undefined || isoDims > 3 || (flags !== 0 && isoDims !== 0)) {
    throw new WkbError(`Unsupported WKB geometry type ${raw >>> 0} at byte ${r.pos - HEADER}`);
  }
  const hasZ = (flags & EWKB_Z) !== 0 || isoDims === 1 || isoDims === 3;
  const hasM = (flags & EWKB_M) !== 0 || isoDims === 2 || isoDims === 3;
  if ((flags & EWKB_SRID) !== 0) {
    need(r, 4);
    r.pos += 4; // the SRID: Wanmi's SRS comes from the layer, not the value
  }
  return { type, little, dims: 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0) };
}

function readCount(r: Reader, h: Header, minBytesEach: number): number {
  need(r, COUNT);
  const n = r.view.getUint32(r.pos, h.little);
  r.pos += COUNT;
  // Refuse a count the remaining bytes cannot hold, before allocating an array for it.
  if (n * minBytesEach > r.view.byteLength - r.pos) {
    throw new WkbError(`Truncated WKB: count ${n} at byte ${r.pos - COUNT} exceeds the input`);
  }
  return n;
}

function readXY(r: Reader, h: Header): Position {
  const size = 8 * h.dims;
  need(r, size);
  const p: Position = [r.view.getFloat64(r.pos, h.little), r.view.getFloat64(r.pos + 8, h.little)];
  r.pos += size;
  return p;
}

function readPositions(r: Reader, h: Header): Position[] {
  const n = readCount(r, h, 8 * h.dims);
  const out: Position[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readXY(r, h);
  return out;
}

function readRings(r: Reader, h: Header): Position[][] {
  const n = readCount(r, h, COUNT);
  const out: Position[][] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readPositions(r, h);
  return out;
}

/** Reads the parts of a multi-geometry: each is a whole geometry with its own header and byte order. */
function readParts<T>(r: Reader, h: Header, partType: Geometry['type'], body: (r: Reader, h: Header) => T): T[] {
  const n = readCount(r, h, HEADER);
  const out: T[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const part = readHeader(r);
    if (part.type !== partType) throw new WkbError(`Expected a ${partType} part at byte ${at}, found ${part.type}`);
    out[i] = body(r, part);
  }
  return out;
}

function need(r: Reader, bytes: number): void {
  if (r.pos + bytes > r.view.byteLength) {
    throw new WkbError(`Truncated WKB: needed ${bytes} bytes at byte ${r.pos} of ${r.view.byteLength}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------------------------------------

/**
 * Bounding box of a geometry as [minX, minY, maxX, maxY]; [NaN, NaN, NaN, NaN] when it has no positions
 * (or is the empty point). Holes cannot extend an envelope, but they are scanned anyway: one loop is simpler
 * than trusting the input's ring order.
 */
export function geometryEnvelope(g: Geometry): Envelope {
  const box: Envelope = [Infinity, Infinity, -Infinity, -Infinity];
  switch (g.type) {
    case 'Point': extend(box, g.coordinates); break;
    case 'LineString': case 'MultiPoint': extendAll(box, g.coordinates); break;
    case 'Polygon': case 'MultiLineString': for (const ring of g.coordinates) extendAll(box, ring); break;
    case 'MultiPolygon': for (const polygon of g.coordinates) for (const ring of polygon) extendAll(box, ring); break;
    default: throw unknownType(g);
  }
  return box[0] === Infinity ? [NaN, NaN, NaN, NaN] : box;
}

/** True when the geometry has no positions; a Point is empty when its coordinates are NaN. */
export function isEmptyGeometry(g: Geometry): boolean {
  return Number.isNaN(geometryEnvelope(g)[0]);
}

function extend(box: Envelope, p: Position): void {
  const x = p[0];
  const y = p[1];
  // NaN fails every comparison, so an empty point leaves the box untouched.
  if (x < box[0]) box[0] = x;
  if (y < box[1]) box[1] = y;
  if (x > box[2]) box[2] = x;
  if (y > box[3]) box[3] = y;
}

function extendAll(box: Envelope, positions: Position[]): void {
  for (const p of positions) extend(box, p);
}
