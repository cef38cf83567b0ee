import type { Geometry } from '../domain/types.js';
import { decodeWkb, geometryEnvelope, wkbSize, writeWkb, type Envelope } from './wkb.js';

/**
 * GeoPackage binary geometry (OGC 12-128r18 §2.1.3): a small header in front of ISO WKB.
 *
 *   byte 0-1  magic 'GP' (0x47 0x50)
 *   byte 2    version (0 = GeoPackage 1.x)
 *   byte 3    flags   bit 0   B  byte order of srs_id and envelope (1 = little-endian)
 *                     bit 1-3 E  envelope: 0 none, 1 xy, 2 xyz, 3 xym, 4 xyzm (5-7 invalid)
 *                     bit 4   Y  empty geometry
 *                     bit 5   X  extended (non-standard) geometry type
 *   byte 4-7  srs_id  int32
 *   byte 8-   envelope doubles, in the order minx, maxx, miny, maxy [, minz, maxz] [, minm, maxm]
 *   then      WKB (carries its own byte order)
 *
 * Note the envelope order: x range then y range, unlike the [minX, minY, maxX, maxY] boxes used elsewhere.
 *
 * Written headers are little-endian. A Point gets no envelope (it would repeat the point, and GDAL does the
 * same); every other non-empty geometry gets an xy envelope so readers and the R-tree triggers can take
 * its bounds without parsing the WKB. Empty geometries get the empty flag and no envelope.
 */

const MAGIC_G = 0x47;
const MAGIC_P = 0x50;
const HEADER = 8;
const FLAG_LITTLE = 0x01;
const FLAG_EMPTY = 0x10;
const FLAG_EXTENDED = 0x20;
const ENVELOPE_MASK = 0x0e;
/** Envelope size in bytes by envelope indicator. */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64] as const;

/** Error thrown for a blob that is not a standard GeoPackage geometry; `code` is 'GPKG_GEOMETRY_INVALID'. */
export class GpkgGeometryError extends Error {
  readonly code = 'GPKG_GEOMETRY_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'GpkgGeometryError';
  }
}

/** The parsed fixed part of a GeoPackage geometry header. */
export interface GpkgHeader {
  srsId: number;
  littleEndian: boolean;
  empty: boolean;
  /** 0 none, 1 xy, 2 xyz, 3 xym, 4 xyzm. */
  envelopeIndicator: number;
  /** Byte offset of the WKB within the blob. */
  wkbOffset: number;
}

/**
 * Encodes a geometry as a GeoPackage geometry blob.
 *
 * 1. Decide emptiness and the envelope (none for points and empties, xy otherwise).
 * 2. Allocate header + envelope + WKB once, write the header, then the WKB behind it.
 */
export function encodeGpkgGeometry(g: Geometry, srsId = 4490): Buffer {
  const box = geometryEnvelope(g);
  const empty = Number.isNaN(box[0]);
  const withEnvelope = !empty && g.type !== 'Point';
  const envelopeBytes = withEnvelope ? ENVELOPE_BYTES[1] : 0;
  const buf = Buffer.allocUnsafe(HEADER + envelopeBytes + wkbSize(g));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  view.setUint8(0, MAGIC_G);
  view.setUint8(1, MAGIC_P);
  view.setUint8(2, 0);
  view.setUint8(3, FLAG_LITTLE | (withEnvelope ? 1 << 1 : 0) | (empty ? FLAG_EMPTY : 0));
  view.setInt32(4, srsId, true);
  if (withEnvelope) {
    view.setFloat64(8, box[0], true); // minx
    view.setFloat64(16, box[2], true); // maxx
    view.setFloat64(24, box[1], true); // miny
    view.setFloat64(32, box[3], true); // maxy
  }
  writeWkb(view, HEADER + envelopeBytes, g);
  return buf;
}

/**
 * Decodes a GeoPackage geometry blob to a 2D geometry (Z/M dropped, see wkb.ts).
 *
 * 1. Parse and check the header (magic, version, standard type, envelope indicator 0–4).
 * 2. Skip the envelope, whatever its size, and decode the WKB behind it.
 *
 * @throws GpkgGeometryError for a bad header; WkbError (code 'WKB_INVALID') for bad WKB.
 */
export function decodeGpkgGeometry(buf: Uint8Array): Geometry {
  return decodeWkb(buf, readGpkgHeader(buf).wkbOffset);
}

/**
 * Reads and validates the fixed header of a GeoPackage geometry blob.
 * @throws GpkgGeometryError when the blob is too short, lacks the 'GP' magic, has an unknown version or
 *   envelope indicator, or uses the extended (non-standard) geometry type flag.
 */
export function readGpkgHeader(buf: Uint8Array): GpkgHeader {
  const flags = checkedFlags(buf);
  const envelopeIndicator = (flags >> 1) & 0x07;
  const littleEndian = (flags & FLAG_LITTLE) !== 0;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return {
    srsId: view.getInt32(4, littleEndian),
    littleEndian,
    empty: (flags & FLAG_EMPTY) !== 0,
    envelopeIndicator,
    wkbOffset: HEADER + ENVELOPE_BYTES[envelopeIndicator as 0 | 1 | 2 | 3 | 4],
  };
}

/**
 * Bounding box [minX, minY, maxX, maxY] of a GeoPackage geometry blob, or null when it is empty.
 *
 * Fast path: the empty flag, or the header envelope (reordered from minx, maxx, miny, maxy); a NaN envelope
 * also means empty. Slow path, for blobs written without an envelope (points, other writers): decode the WKB.
 */
export function gpkgEnvelope(buf: Uint8Array): Envelope | null {
  const flags = checkedFlags(buf);
  if ((flags & FLAG_EMPTY) !== 0) return null;
  if ((flags & ENVELOPE_MASK) === 0) return wkbEnvelope(buf);
  const little = (flags & FLAG_LITTLE) !== 0;
  const minX = readFloat64(buf, HEADER, little);
  if (Number.isNaN(minX)) return null;
  return [minX, readFloat64(buf, HEADER + 16, little), readFloat64(buf, HEADER + 8, little), readFloat64(buf, HEADER + 24, little)];
}

/** Header envelope slot of each Envelope index: minX, minY, maxX, maxY live at minx, miny, maxx, maxy. */
const SLOT = [0, 2, 1, 3] as const;

/**
 * One bound of a blob's envelope (`index` as in Envelope: 0 minX, 1 minY, 2 maxX, 3 maxY), or null when the
 * geometry is empty. Same paths as gpkgEnvelope, but allocation-free on the fast path: the R-tree triggers
 * call ST_IsEmpty and ST_MinX … ST_MaxY, five calls per written row, and each lands here.
 */
export function gpkgEnvelopeBound(buf: Uint8Array, index: 0 | 1 | 2 | 3): number | null {
  const flags = checkedFlags(buf);
  if ((flags & FLAG_EMPTY) !== 0) return null;
  if ((flags & ENVELOPE_MASK) === 0) {
    const box = wkbEnvelope(buf);
    return box === null ? null : box[index];
  }
  const value = readFloat64(buf, HEADER + 8 * SLOT[index], (flags & FLAG_LITTLE) !== 0);
  return Number.isNaN(value) ? null : value;
}

/** Validates the fixed header bytes and returns the flags byte; reads bytes only, so it allocates nothing. */
function checkedFlags(buf: Uint8Array): number {
  if (buf.byteLength < HEADER) throw new GpkgGeometryError(`GeoPackage geometry is ${buf.byteLength} bytes, shorter than its header`);
  if (buf[0] !== MAGIC_G || buf[1] !== MAGIC_P) throw new GpkgGeometryError('GeoPackage geometry lacks the "GP" magic');
  if (buf[2] !== 0) throw new GpkgGeometryError(`Unsupported GeoPackage geometry version ${buf[2]}`);
  const flags = buf[3];
  if ((flags & FLAG_EXTENDED) !== 0) throw new GpkgGeometryError('Extended GeoPackage geometry types are not supported');
  const envelopeIndicator = (flags & ENVELOPE_MASK) >> 1;
  if (envelopeIndicator > 4) throw new GpkgGeometryError(`Invalid GeoPackage envelope indicator ${envelopeIndicator}`);
  if (buf.byteLength < HEADER + ENVELOPE_BYTES[envelopeIndicator as 0 | 1 | 2 | 3 | 4]) {
    throw new GpkgGeometryError('GeoPackage geometry is truncated inside its envelope');
  }
  return flags;
}

/** Envelope of a blob without a header envelope (the WKB starts right after the 8-byte header). */
function wkbEnvelope(buf: Uint8Array): Envelope | null {
  const box = geometryEnvelope(decodeWkb(buf, HEADER));
  return Number.isNaN(box[0]) ? null : box;
}

// Reading a double by copying its bytes into a scratch array in native order avoids a DataView per call.
const SCRATCH = new Uint8Array(8);
const SCRATCH_F64 = new Float64Array(SCRATCH.buffer);
const NATIVE_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function readFloat64(buf: Uint8Array, at: number, little: boolean): number {
  if (little === NATIVE_LITTLE) for (let k = 0; k < 8; k++) SCRATCH[k] = buf[at + k];
  else for (let k = 0; k < 8; k++) SCRATCH[k] = buf[at + 7 - k];
  return SCRATCH_F64[0];
}
