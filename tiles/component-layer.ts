import type Pbf from 'pbf';
import type { TileFrame } from './mercator.js';
import type { FeatureFilter } from './indexed-layer.js';
import type { LayerRenderer, TileFilters, VectorLayerInfo } from './source.js';
import { SHARED_KEYS, type ComponentFeatures } from './component-features.js';
import { DEFAULT_CUT } from './cut.js';
import { command, GEOM_TYPE, MOVE_TO, putVarint, varintLength, zigzag, type LayerCut } from './mvt-writer.js';
import { GeometryBytes } from './geometry-bytes.js';
import { copyBytes, TileValues } from './value-sets.js';
import { LayerShell, messageLength } from './layer-bytes.js';

/** The layer's keys, in tag order (key index = position): the id, then the shared values. */
const KEYS = ['id', ...SHARED_KEYS];

export interface ComponentLayerSpec {
  info: VectorLayerInfo;
  features: ComponentFeatures;
  compileFilter: (filters: TileFilters) => FeatureFilter | null;
}

/**
 * Individual components, written straight into the tile: the hot layer (a z16 tile of a city centre
 * holds over a thousand components, seven attributes each). Per tile:
 *
 *  1. points: a k-d range query over the tile plus buffer into a reused list, each point moved to tile
 *     units once and tested against the buffer exactly as `cutFeature` does; other geometries: the
 *     R-tree, then cut and encoded to command bytes (GeometryBytes);
 *  2. over a cap only, rank by FNV-1a of the id (ties by feature number): a stable order that thins a
 *     crowded tile evenly across classes and space, the same at every request;
 *  3. add each feature's attribute set to the tile's value table (shared values take the low indexes,
 *     and each set's tags are encoded once per tile), size every feature, then write the layer in one
 *     pass: features, keys, the shared values, and the ids (unique: index shared + i, written from their
 *     4-byte codes).
 *
 * No object is made per feature and no row is read. The renderer's lists are reused tile after tile:
 * a cut is written before the next render of the same layer (rendering is synchronous).
 */
export function componentLayer(spec: ComponentLayerSpec): LayerRenderer {
  const scratch = new CutScratch(spec.features);
  const shell = new LayerShell(spec.info.id, KEYS);
  return {
    info: spec.info,
    render(frame: TileFrame, filters: TileFilters): LayerCut {
      return new ComponentCut(spec.info.id, shell, spec.features, scratch, frame, spec.compileFilter(filters));
    },
  };
}

/** Per-layer lists reused by every cut. */
class CutScratch {
  found: Uint32Array = new Uint32Array(4096);
  feature: Uint32Array = new Uint32Array(4096);
  xy: Int32Array = new Int32Array(8192);
  /** Per written feature: its feature number, message length, and id's group (IdCodes). */
  written: Uint32Array = new Uint32Array(4096);
  length: Uint32Array = new Uint32Array(4096);
  idGroup: Uint32Array = new Uint32Array(4096);
  readonly values: TileValues;
  /** Commands of the tile's lines and polygons, back to back. */
  readonly shapes = new GeometryBytes();

  constructor(features: ComponentFeatures) {
    this.values = new TileValues(features.values, SHARED_KEYS.length, 1);
  }

  /** Room for n kept points. */
  reserve(n: number): void {
    if (this.feature.length >= n) return;
    const size = Math.max(n, this.feature.length * 2);
    const feature = new Uint32Array(size);
    feature.set(this.feature);
    this.feature = feature;
    const xy = new Int32Array(2 * size);
    xy.set(this.xy);
    this.xy = xy;
  }

  /** Room for n written features (points and shapes). */
  reserveWritten(n: number): void {
    if (this.length.length >= n) return;
    const size = Math.max(n, this.length.length * 2);
    this.written = new Uint32Array(size);
    this.length = new Uint32Array(size);
    this.idGroup = new Uint32Array(size);
  }
}

class ComponentCut implements LayerCut {
  readonly name: string;
  private readonly shell: LayerShell;
  private readonly data: ComponentFeatures;
  private readonly scratch: CutScratch;
  private nPoints = 0;
  /** Keep-first order once ranked (k < nPoints: point k, else shape k − nPoints); null: found order. */
  private order: Uint32Array | null = null;
  /** Lines and polygons: feature number, MVT type, end of its commands in scratch.shapes. */
  private readonly shapeF: number[] = [];
  private readonly shapeType: number[] = [];
  private readonly shapeEnd: number[] = [];

  constructor(name: string, shell: LayerShell, data: ComponentFeatures, scratch: CutScratch, frame: TileFrame, accept: FeatureFilter | null) {
    this.name = name;
    this.shell = shell;
    this.data = data;
    this.scratch = scratch;
    this.findPoints(frame, accept);
    const P = data.points.size;
    const shapes = scratch.shapes;
    shapes.reset();
    for (const j of data.shapes.search(frame.minX, frame.minY, frame.maxX, frame.maxY)) {
      if (accept && !accept(P + j)) continue;
      const type = shapes.cut(data.shapes, j, frame, DEFAULT_CUT);
      if (!type) continue;
      this.shapeF.push(P + j);
      this.shapeType.push(type);
      this.shapeEnd.push(shapes.pos);
    }
  }

  /** Start of shape k's commands in scratch.shapes (the end is shapeEnd[k]). */
  private shapeStart(k: number): number {
    return k > 0 ? this.shapeEnd[k - 1] : 0;
  }

  /** The points in the tile plus buffer, in k-d order, with their integer tile coordinates. */
  private findPoints(frame: TileFrame, accept: FeatureFilter | null): void {
    const { points } = this.data;
    const s = this.scratch;
    const min = -frame.buffer;
    const max = frame.extent + frame.buffer;
    // Tile units of grid point q: q · step · scale + (origin · scale − tile offset), exact in doubles.
    const sx = points.step * frame.scale;
    const bx = points.originX * frame.scale - frame.x * frame.extent;
    const by = points.originY * frame.scale - frame.y * frame.extent;
    const eps = 1 / frame.scale;
    const found = points.positions(frame.minX - eps, frame.minY - eps, frame.maxX + eps, frame.maxY + eps, s.found);
    s.found = found.positions;
    s.reserve(found.count);
    const { coords } = points;
    const positions = found.positions;
    const feature = s.feature;
    const xy = s.xy;
    let n = 0;
    for (let k = 0; k < found.count; k++) {
      const pos = positions[k];
      const x = coords[2 * pos] * sx + bx;
      const y = coords[2 * pos + 1] * sx + by;
      if (x < min || x > max || y < min || y > max) continue;
      if (accept && !accept(pos)) continue;
      feature[n] = pos;
      xy[2 * n] = Math.round(x);
      xy[2 * n + 1] = Math.round(y);
      n++;
    }
    this.nPoints = n;
  }

  get length(): number {
    return this.nPoints + this.shapeF.length;
  }

  /** Feature number of the k-th found feature. */
  private featureOf(k: number): number {
    return k < this.nPoints ? this.scratch.feature[k] : this.shapeF[k - this.nPoints];
  }

  rank(): void {
    const n = this.length;
    const f = Array.from({ length: n }, (_, k) => this.featureOf(k));
    const hash = f.map((x) => this.data.ids.hash(x));
    this.order = Uint32Array.from(Array.from({ length: n }, (_, k) => k).sort((a, b) => hash[a] - hash[b] || f[a] - f[b]));
  }

  /**
   * The layer message with the first `count` features (keep-first order): sized first (value table,
   * feature lengths), then written in one pass.
   */
  write(pbf: Pbf, count: number): void {
    if (count <= 0) return;
    const { data, scratch } = this;
    scratch.reserveWritten(count);
    const { values } = scratch;
    values.reset();
    for (let i = 0; i < count; i++) values.add(data.values.setOf[this.featureOf(this.order ? this.order[i] : i)]);
    let pos = this.shell.begin(pbf, this.size(count));
    const buf = pbf.buf;
    for (let i = 0; i < count; i++) pos = this.writeFeature(buf, pos, i);
    pos = this.shell.writeKeys(buf, pos);
    pos = values.writeValues(buf, pos);
    pos = this.writeIds(buf, pos, count);
    this.shell.finish(pbf, pos);
  }

  /** The layer body's bytes; notes each written feature's number, message length and id group. */
  private size(count: number): number {
    const { data, order, nPoints, scratch } = this;
    const { values, xy, written, length, idGroup } = scratch;
    const setOf = data.values.setOf;
    const ids = data.ids;
    const shared = values.count;
    let body = this.shell.fixedLength + values.valuesLength;
    for (let i = 0; i < count; i++) {
      const k = order ? order[i] : i;
      const f = this.featureOf(k);
      written[i] = f;
      const tags = 1 + varintLength(shared + i) + values.tagLength(setOf[f]);
      let geometry: number;
      if (k < nPoints) geometry = 1 + varintLength(zigzag(xy[2 * k])) + varintLength(zigzag(xy[2 * k + 1]));
      else geometry = this.shapeEnd[k - nPoints] - this.shapeStart(k - nPoints);
      // id, tags, type, geometry
      const len = 1 + varintLength(f + 1) + messageLength(tags) + 2 + messageLength(geometry);
      length[i] = len;
      const g = ids.group(ids.code[f]);
      idGroup[i] = g;
      body += messageLength(len) + messageLength(messageLength(ids.groupLength(g)));
    }
    return body;
  }

  /** Writes the i-th feature (sized) at pos; returns the new position. */
  private writeFeature(buf: Uint8Array, pos: number, i: number): number {
    const { nPoints, scratch } = this;
    const { values, xy } = scratch;
    const k = this.order ? this.order[i] : i;
    const f = scratch.written[i];
    const s = this.data.values.setOf[f];
    const id = values.count + i;
    buf[pos++] = 0x12; // Layer.features (2)
    pos = putVarint(buf, pos, scratch.length[i]);
    buf[pos++] = 0x08; // Feature.id (1)
    pos = putVarint(buf, pos, f + 1);
    buf[pos++] = 0x12; // Feature.tags (2), packed: the id first, then the set's tags
    pos = putVarint(buf, pos, 1 + varintLength(id) + values.tagLength(s));
    buf[pos++] = 0;
    pos = putVarint(buf, pos, id);
    pos = values.writeTags(buf, pos, s);
    buf[pos++] = 0x18; // Feature.type (3)
    if (k < nPoints) {
      const zx = zigzag(xy[2 * k]);
      const zy = zigzag(xy[2 * k + 1]);
      buf[pos++] = GEOM_TYPE.Point;
      buf[pos++] = 0x22; // Feature.geometry (4), packed
      buf[pos++] = 1 + varintLength(zx) + varintLength(zy);
      buf[pos++] = command(MOVE_TO, 1);
      pos = putVarint(buf, pos, zx);
      return putVarint(buf, pos, zy);
    }
    const from = this.shapeStart(k - nPoints);
    const to = this.shapeEnd[k - nPoints];
    buf[pos++] = this.shapeType[k - nPoints];
    buf[pos++] = 0x22;
    pos = putVarint(buf, pos, to - from);
    return copyBytes(buf, pos, scratch.shapes.buf, from, to);
  }

  /** The ids as string values (index shared + i), from their codes; returns the new position. */
  private writeIds(buf: Uint8Array, pos: number, count: number): number {
    const { written, idGroup } = this.scratch;
    const ids = this.data.ids;
    for (let i = 0; i < count; i++) {
      const n = ids.groupLength(idGroup[i]);
      buf[pos++] = 0x22; // Layer.values (4)
      pos = putVarint(buf, pos, messageLength(n));
      buf[pos++] = 0x0a; // Value.string_value (1)
      pos = putVarint(buf, pos, n);
      pos = ids.writeIn(buf, pos, written[i], idGroup[i]);
    }
    return pos;
  }
}
