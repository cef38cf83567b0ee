import Pbf from 'pbf';
import { EXTENT } from './mercator.js';

/**
 * A Mapbox Vector Tile (spec 2.1) encoder on `pbf`. Geometry comes in as integer tile coordinates, flat
 * (x0 y0 x1 y1 …); the writer owns everything the spec makes the encoder responsible for:
 *
 *  - keys and values deduplicated per layer (a value is keyed by its type, so 1 and "1" stay distinct);
 *  - command integers (MoveTo 1, LineTo 2, ClosePath 7; id | count << 3) and zigzag deltas from a cursor
 *    that runs on across parts;
 *  - no zero-length LineTo (consecutive duplicates dropped), no ring closing vertex (ClosePath closes);
 *  - winding: an exterior ring has positive area by the surveyor's formula in tile coordinates (y down,
 *    so it runs clockwise on screen) and every interior ring negative; rings are reversed as needed;
 *  - degenerate parts dropped (a line of < 2 distinct points, a ring of < 3 or zero area); a polygon whose
 *    exterior is degenerate is dropped with its holes; a feature left without geometry is not written,
 *    nor a layer left without features.
 */

export type MvtValue = string | number | boolean;
export type MvtProperties = Record<string, MvtValue | null | undefined>;

/** Flat integer coordinates x0 y0 x1 y1 …; a ring without its closing vertex (a repeated one is ignored). */
export type Flat = ArrayLike<number>;

export type MvtGeometry =
  | { type: 'Point'; points: Flat }
  | { type: 'LineString'; lines: Flat[] }
  /** polygons → rings → coordinates; ring 0 of each polygon is its exterior, the rest are holes. */
  | { type: 'Polygon'; polygons: Flat[][] };

export interface MvtFeature {
  /** Unsigned integer id, unique in its layer (ids beyond 2^53 cannot be represented and are not written). */
  id?: number;
  geometry: MvtGeometry;
  properties: MvtProperties;
}

export interface MvtLayer {
  name: string;
  extent?: number;
  features: readonly MvtFeature[];
}

export const GEOM_TYPE = { Point: 1, LineString: 2, Polygon: 3 } as const;
export const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;

/**
 * One layer's features for one tile, ready to be written: what a layer renderer hands the tile budget.
 * `length` features, best first once `rank` has run; `write` appends the layer message with the first
 * `count` of them (nothing when none has geometry). Every layer of Wanmi's sources writes its bytes
 * directly (component-layer.ts, encoded-layer.ts, clusters.ts); `encodeTile` below is the general
 * encoder over MvtFeature objects, the reference the tests hold the direct writers to.
 */
export interface LayerCut {
  readonly name: string;
  readonly length: number;
  /** Puts the features in keep-first order; called only when a cap may apply. */
  rank(): void;
  write(pbf: Pbf, count: number): void;
}

/** Encodes layers into one tile; an empty Uint8Array when no layer has a feature with geometry. */
export function encodeTile(layers: readonly MvtLayer[]): Uint8Array {
  const pbf = new Pbf();
  for (const layer of layers) writeLayerMessage(pbf, layer);
  // finish() returns a view of pbf's doubling buffer; a copy lets the cache hold exactly the tile's bytes.
  return pbf.finish().slice();
}

/** Appends one layer message (tile field 3), unless no feature has geometry. */
export function writeLayerMessage(pbf: Pbf, layer: MvtLayer): void {
  const encoded = encodeFeatures(layer.features);
  if (encoded.length > 0) pbf.writeMessage(3, writeLayer, { layer, encoded });
}

interface EncodedFeature {
  feature: MvtFeature;
  commands: number[];
}

function encodeFeatures(features: readonly MvtFeature[]): EncodedFeature[] {
  const out: EncodedFeature[] = [];
  for (const feature of features) {
    const commands = geometryCommands(feature.geometry);
    if (commands.length > 0) out.push({ feature, commands });
  }
  return out;
}

/**
 * The per-layer dictionaries: key → index, value → index. Values are kept apart by type (so 1 and "1"
 * stay distinct) in one map per type, which spares building a typed key string per value: on a z16
 * component tile that string was a third of the encoding time.
 */
interface Dictionaries {
  keys: Map<string, number>;
  strings: Map<string, number>;
  numbers: Map<number, number>;
  booleans: Map<boolean, number>;
  valueList: MvtValue[];
}

function writeLayer({ layer, encoded }: { layer: MvtLayer; encoded: EncodedFeature[] }, pbf: Pbf): void {
  pbf.writeVarintField(15, 2);
  pbf.writeStringField(1, layer.name);
  const dict: Dictionaries = { keys: new Map(), strings: new Map(), numbers: new Map(), booleans: new Map(), valueList: [] };
  for (const e of encoded) pbf.writeMessage(2, writeFeature, { e, dict });
  for (const key of dict.keys.keys()) pbf.writeStringField(3, key);
  for (const value of dict.valueList) pbf.writeMessage(4, writeValue, value);
  pbf.writeVarintField(5, layer.extent ?? EXTENT);
}

function writeFeature({ e, dict }: { e: EncodedFeature; dict: Dictionaries }, pbf: Pbf): void {
  const { id, properties, geometry } = e.feature;
  if (id !== undefined && Number.isSafeInteger(id) && id >= 0) pbf.writeVarintField(1, id);
  pbf.writePackedVarint(2, tags(properties, dict));
  pbf.writeVarintField(3, GEOM_TYPE[geometry.type]);
  pbf.writePackedVarint(4, e.commands);
}

function tags(properties: MvtProperties, dict: Dictionaries): number[] {
  const out: number[] = [];
  for (const key in properties) {
    const value = properties[key];
    if (value === null || value === undefined) continue;
    let k = dict.keys.get(key);
    if (k === undefined) dict.keys.set(key, (k = dict.keys.size));
    out.push(k, valueIndex(value, dict));
  }
  return out;
}

function valueIndex(value: MvtValue, dict: Dictionaries): number {
  const map: Map<MvtValue, number> = typeof value === 'string' ? dict.strings : typeof value === 'number' ? dict.numbers : dict.booleans;
  let v = map.get(value);
  if (v === undefined) map.set(value, (v = dict.valueList.push(value) - 1));
  return v;
}

/** Value message: string 1, double 3, uint 5, sint 6, bool 7 (float and int64 are never needed). */
export function writeValue(value: MvtValue, pbf: Pbf): void {
  if (typeof value === 'string') pbf.writeStringField(1, value);
  else if (typeof value === 'boolean') pbf.writeBooleanField(7, value);
  else if (!Number.isSafeInteger(value)) pbf.writeDoubleField(3, value);
  else if (value >= 0) pbf.writeVarintField(5, value);
  else pbf.writeSVarintField(6, value);
}

/** Geometry → command integers; empty when nothing drawable is left. */
export function geometryCommands(geometry: MvtGeometry): number[] {
  const w = new CommandWriter();
  if (geometry.type === 'Point') w.points(geometry.points);
  else if (geometry.type === 'LineString') for (const line of geometry.lines) w.path(dedupe(line, false), false);
  else for (const polygon of geometry.polygons) w.polygon(polygon);
  return w.out;
}

class CommandWriter {
  readonly out: number[] = [];
  private cx = 0;
  private cy = 0;

  points(p: Flat): void {
    const n = p.length >> 1;
    if (n === 0) return;
    this.out.push(command(MOVE_TO, n));
    for (let i = 0; i < n; i++) this.delta(p[2 * i], p[2 * i + 1]);
  }

  /** A line part or a ring; rings end with ClosePath. Callers pass deduplicated coordinates. */
  path(p: number[], ring: boolean): void {
    const n = p.length >> 1;
    if (n < (ring ? 3 : 2)) return;
    this.out.push(command(MOVE_TO, 1));
    this.delta(p[0], p[1]);
    this.out.push(command(LINE_TO, n - 1));
    for (let i = 1; i < n; i++) this.delta(p[2 * i], p[2 * i + 1]);
    if (ring) this.out.push(command(CLOSE_PATH, 1));
  }

  polygon(rings: readonly Flat[]): void {
    const exterior = orient(dedupe(rings[0] ?? [], true), true);
    if (!exterior) return;
    this.path(exterior, true);
    for (let r = 1; r < rings.length; r++) {
      const hole = orient(dedupe(rings[r], true), false);
      if (hole) this.path(hole, true);
    }
  }

  private delta(x: number, y: number): void {
    this.out.push(zigzag(x - this.cx), zigzag(y - this.cy));
    this.cx = x;
    this.cy = y;
  }
}

/** Appends v (an unsigned integer < 2^32) as a varint at buf[pos]; returns the new position. */
export function putVarint(buf: Uint8Array, pos: number, v: number): number {
  if (v < 0x80) {
    buf[pos] = v;
    return pos + 1;
  }
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** Bytes of v as a varint (v < 2^32). */
export function varintLength(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

export function command(id: number, count: number): number {
  return id + count * 8; // = id | count << 3, without int32 overflow for huge counts
}

/** Arithmetic zigzag: exact for any safe integer, where the shift form wraps beyond int32. */
export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** Copies without consecutive duplicates (and, for a ring, without a last vertex equal to the first). */
function dedupe(p: Flat, ring: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < p.length; i += 2) {
    const n = out.length;
    if (n >= 2 && out[n - 2] === p[i] && out[n - 1] === p[i + 1]) continue;
    out.push(p[i], p[i + 1]);
  }
  while (ring && out.length >= 4 && out[0] === out[out.length - 2] && out[1] === out[out.length - 1]) out.length -= 2;
  return out;
}

/** Twice the surveyor's-formula area of the first n vertices, in tile coordinates (positive = clockwise on screen, y down). */
export function ringArea(p: Flat, n = p.length >> 1): number {
  let sum = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) sum += p[2 * j] * p[2 * i + 1] - p[2 * i] * p[2 * j + 1];
  return sum;
}

/** The ring with the winding the spec wants for its role, or null when it has no area. */
function orient(p: number[], exterior: boolean): number[] | null {
  if (p.length < 6) return null;
  const area = ringArea(p);
  if (area === 0) return null;
  if (area > 0 === exterior) return p;
  const out = new Array<number>(p.length);
  for (let i = 0, j = p.length - 2; j >= 0; i += 2, j -= 2) {
    out[i] = p[j];
    out[i + 1] = p[j + 1];
  }
  return out;
}
