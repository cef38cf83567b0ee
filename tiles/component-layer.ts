import type Pbf from 'pbf';
import type { Component } from '../src/domain/types.js';
import type { TileFrame } from './mercator.js';
import type { FeatureFilter } from './indexed-layer.js';
import type { LayerRenderer, TileFilters, VectorLayerInfo } from './source.js';
import type { ComponentFeatures } from './component-features.js';
import { cutFeature, DEFAULT_CUT } from './cut.js';
import {
  command, GEOM_TYPE, geometryCommands, MOVE_TO, putVarint, varintLength, writeStringValue, writeStringValues, zigzag, type LayerCut,
} from './mvt-writer.js';

/** The layer's keys, in tag order (key index = position): the id, then the shared (dictionary) values. */
const KEYS = ['id', 'typeCode', 'major', 'name', 'state', 'owner', 'maintainer'] as const;
const SHARED = KEYS.length - 1;

export interface ComponentLayerSpec {
  info: VectorLayerInfo;
  features: ComponentFeatures;
  compileFilter: (filters: TileFilters) => FeatureFilter | null;
}

/**
 * Individual components, written straight into the tile: the hot layer (a z16 tile of a city centre
 * holds over a thousand components, seven attributes each). Per tile:
 *
 *  1. points: a k-d range query over the tile plus buffer, each point moved to tile units once and
 *     tested against the buffer exactly as `cutFeature` does; other geometries: the R-tree, then
 *     `cutFeature` and the command integers;
 *  2. over a cap only, rank by FNV-1a of the id (ties by feature number): a stable order that thins a
 *     crowded tile evenly across classes and space, the same at every request;
 *  3. write each feature's bytes directly (lengths computed first, so no message is moved after the
 *     fact), looking values up in one per-tile dictionary with a one-entry memo per key (neighbours in
 *     k-d order mostly share class, state and units); the id is unique, so it is appended without lookup.
 *
 * No MvtFeature or properties object is made. Feature ids are feature numbers + 1.
 */
export function componentLayer(spec: ComponentLayerSpec): LayerRenderer {
  return {
    info: spec.info,
    render(frame: TileFrame, filters: TileFilters): LayerCut {
      return new ComponentCut(spec.info.id, spec.features, frame, spec.compileFilter(filters));
    },
  };
}

class ComponentCut implements LayerCut {
  readonly name: string;
  private readonly extent: number;
  private readonly data: ComponentFeatures;
  /**
   * Keep-first order once ranked: k < nPoints → point k of pointF/pointXY, else shape k − nPoints.
   * Null until rank() runs: then feature k is simply the k-th found.
   */
  private order: number[] | null = null;
  private readonly pointF: number[] = [];
  private readonly pointXY: number[] = [];
  private readonly shapeF: number[] = [];
  private readonly shapeType: number[] = [];
  private readonly shapeCommands: number[][] = [];

  constructor(name: string, data: ComponentFeatures, frame: TileFrame, accept: FeatureFilter | null) {
    this.name = name;
    this.extent = frame.extent;
    this.data = data;
    const min = -frame.buffer;
    const max = frame.extent + frame.buffer;
    const ox = frame.x * frame.extent;
    const oy = frame.y * frame.extent;
    const { scale } = frame;
    const { coords } = data.points;
    // A hair wider than the frame: the exact test is the tile-unit one below, the same as cutFeature's.
    const eps = 1 / scale;
    data.points.range(frame.minX - eps, frame.minY - eps, frame.maxX + eps, frame.maxY + eps, (pos) => {
      const x = coords[2 * pos] * scale - ox;
      const y = coords[2 * pos + 1] * scale - oy;
      if (x < min || x > max || y < min || y > max) return;
      if (accept && !accept(pos)) return;
      this.pointF.push(pos);
      this.pointXY.push(Math.round(x), Math.round(y));
    });
    const P = data.points.size;
    for (const j of data.shapes.search(frame.minX, frame.minY, frame.maxX, frame.maxY)) {
      if (accept && !accept(P + j)) continue;
      const geometry = cutFeature(data.shapes, j, frame, DEFAULT_CUT);
      const commands = geometry ? geometryCommands(geometry) : [];
      if (commands.length === 0) continue;
      this.shapeF.push(P + j);
      this.shapeType.push(GEOM_TYPE[geometry!.type]);
      this.shapeCommands.push(commands);
    }
    this.order = this.rowOrder();
  }

  /**
   * The features in row order: rows (and their strings) lie in memory about in the order they were
   * loaded, so reading their attributes in that order walks memory forwards instead of jumping about
   * as k-d order does (a cache miss or two per feature on a city-sized table).
   */
  private rowOrder(): number[] {
    const n = this.length;
    const SHIFT = 2 ** 22; // k < 2^22 features in one cut; row × 2^22 + k stays below 2^53
    if (n >= SHIFT) return Array.from({ length: n }, (_, k) => k);
    const keys = new Float64Array(n);
    const nPoints = this.pointF.length;
    const { item } = this.data.points;
    for (let k = 0; k < nPoints; k++) keys[k] = item[this.pointF[k]] * SHIFT + k;
    for (let k = nPoints; k < n; k++) keys[k] = this.data.shapeRow[this.shapeF[k - nPoints] - this.data.points.size] * SHIFT + k;
    keys.sort();
    return Array.from(keys, (key) => key % SHIFT);
  }

  get length(): number {
    return this.pointF.length + this.shapeF.length;
  }

  rank(): void {
    const n = this.pointF.length;
    const f = (k: number) => (k < n ? this.pointF[k] : this.shapeF[k - n]);
    const hash = Array.from({ length: this.length }, (_, k) => fnv1a(this.data.row(f(k)).id));
    this.order = Array.from({ length: this.length }, (_, k) => k).sort((a, b) => hash[a] - hash[b] || f(a) - f(b));
  }

  write(pbf: Pbf, count: number): void {
    if (count <= 0) return;
    pbf.writeMessage(3, writeLayer, { cut: this, count });
  }

  /**
   * The layer message's body: version, name, features, keys, values, extent. Two passes: the first
   * reads the rows (ids, and the shared values into the dictionary), so that the shared values can take
   * the low (one-byte) value indexes and the ids, unique, the ones after them.
   */
  writeBody(pbf: Pbf, count: number): void {
    pbf.writeVarintField(15, 2);
    pbf.writeStringField(1, this.name);
    const values = new ValueTable();
    const ids = new Array<string>(count);
    const shared = new Int32Array(count * SHARED); // value index per shared key, −1 for null
    const features = new Int32Array(count); // feature number per written feature
    const nPoints = this.pointF.length;
    const { data, order } = this;
    for (let i = 0; i < count; i++) {
      const k = order ? order[i] : i;
      const f = k < nPoints ? this.pointF[k] : this.shapeF[k - nPoints];
      features[i] = f;
      const c: Component = data.row(f);
      ids[i] = c.id;
      const o = i * SHARED;
      shared[o] = values.of(0, data.typeCode(c));
      shared[o + 1] = values.of(1, c.major);
      shared[o + 2] = values.of(2, c.name);
      shared[o + 3] = values.of(3, c.state);
      shared[o + 4] = c.ownerUnit != null ? values.of(4, c.ownerUnit) : -1;
      shared[o + 5] = c.maintainerUnit != null ? values.of(5, c.maintainerUnit) : -1;
    }
    const firstId = values.list.length;
    for (let i = 0; i < count; i++) {
      const k = order ? order[i] : i;
      // Tags: key index, value index; null attributes are left out. Key 0 is the id.
      const idValue = firstId + i;
      let tagsLength = 1 + varintLength(idValue);
      const o = i * SHARED;
      for (let j = 0; j < SHARED; j++) if (shared[o + j] >= 0) tagsLength += 1 + varintLength(shared[o + j]);
      // Geometry: a point is MoveTo(1) and one zigzag pair from the origin.
      let type: number;
      let geometryLength: number;
      let zx = 0;
      let zy = 0;
      let commands: number[] | null = null;
      if (k < nPoints) {
        type = 1;
        zx = zigzag(this.pointXY[2 * k]);
        zy = zigzag(this.pointXY[2 * k + 1]);
        geometryLength = 1 + varintLength(zx) + varintLength(zy);
      } else {
        type = this.shapeType[k - nPoints];
        commands = this.shapeCommands[k - nPoints];
        geometryLength = 0;
        for (const v of commands) geometryLength += varintLength(v);
      }
      const id = features[i] + 1;
      const length = 1 + varintLength(id) + 1 + varintLength(tagsLength) + tagsLength + 2 + 1 + varintLength(geometryLength) + geometryLength;
      pbf.realloc(length + 6);
      const buf = pbf.buf;
      let pos = pbf.pos;
      buf[pos++] = 0x12; // Layer.features (2), length-delimited
      pos = putVarint(buf, pos, length);
      buf[pos++] = 0x08; // Feature.id (1), varint
      pos = putVarint(buf, pos, id);
      buf[pos++] = 0x12; // Feature.tags (2), packed
      pos = putVarint(buf, pos, tagsLength);
      buf[pos++] = 0;
      pos = putVarint(buf, pos, idValue);
      for (let j = 0; j < SHARED; j++) {
        const v = shared[o + j];
        if (v < 0) continue;
        buf[pos++] = j + 1;
        pos = putVarint(buf, pos, v);
      }
      buf[pos++] = 0x18; // Feature.type (3)
      buf[pos++] = type;
      buf[pos++] = 0x22; // Feature.geometry (4), packed
      pos = putVarint(buf, pos, geometryLength);
      if (commands) for (const v of commands) pos = putVarint(buf, pos, v);
      else {
        buf[pos++] = command(MOVE_TO, 1);
        pos = putVarint(buf, pos, zx);
        pos = putVarint(buf, pos, zy);
      }
      pbf.pos = pos;
    }
    for (const key of KEYS) pbf.writeStringField(3, key);
    for (const value of values.list) writeStringValue(pbf, value);
    writeStringValues(pbf, ids);
    pbf.writeVarintField(5, this.extent);
  }
}

function writeLayer({ cut, count }: { cut: ComponentCut; count: number }, pbf: Pbf): void {
  cut.writeBody(pbf, count);
}

/** One tile layer's values: strings deduplicated, with the last value of each key remembered. */
class ValueTable {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly last: string[] = new Array<string>(SHARED).fill('');
  private readonly lastIndex = new Int32Array(SHARED).fill(-1);

  of(key: number, value: string): number {
    if (value === this.last[key] && this.lastIndex[key] >= 0) return this.lastIndex[key];
    let v = this.index.get(value);
    if (v === undefined) {
      v = this.list.push(value) - 1;
      this.index.set(value, v);
    }
    this.last[key] = value;
    this.lastIndex[key] = v;
    return v;
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
