import type Pbf from 'pbf';
import type { LayerCut } from './mvt-writer.js';
import { putVarint, varintLength } from './mvt-writer.js';
import { GeometryBytes } from './geometry-bytes.js';
import { LayerShell, messageLength } from './layer-bytes.js';
import { copyBytes, type TileValues } from './value-sets.js';

/**
 * One tile's features of a layer with their geometry already encoded (GeometryBytes), in keep-first
 * order: what the indexed and label layers collect while cutting. Owned by the layer's renderer and
 * reused tile after tile; a cut is written before the layer renders its next tile.
 */
export class EncodedFeatures {
  readonly geometry = new GeometryBytes();
  feature: Uint32Array = new Uint32Array(1024);
  type: Uint8Array = new Uint8Array(1024);
  /** End of each feature's commands in geometry.buf (the start is the previous end). */
  end: Uint32Array = new Uint32Array(1024);
  /** Per written feature: its message length. */
  length: Uint32Array = new Uint32Array(1024);
  n = 0;

  reset(): void {
    this.n = 0;
    this.geometry.reset();
  }

  /** Records feature f, whose commands were just appended to `geometry`, of MVT type `type`. */
  add(f: number, type: number): void {
    if (this.n === this.feature.length) this.grow();
    this.feature[this.n] = f;
    this.type[this.n] = type;
    this.end[this.n] = this.geometry.pos;
    this.n++;
  }

  private grow(): void {
    const size = 2 * this.feature.length;
    const feature = new Uint32Array(size);
    feature.set(this.feature);
    const type = new Uint8Array(size);
    type.set(this.type);
    const end = new Uint32Array(size);
    end.set(this.end);
    this.feature = feature;
    this.type = type;
    this.end = end;
    this.length = new Uint32Array(size);
  }
}

/**
 * The Layer message of the first `count` encoded features, written straight to bytes: attribute sets
 * through the tile's value table, each feature sized first, so the layer's length is known before its
 * first byte. Feature ids are feature numbers + 1.
 */
export class EncodedCut implements LayerCut {
  readonly name: string;

  constructor(
    private readonly shell: LayerShell,
    private readonly values: TileValues,
    private readonly setOf: ArrayLike<number>,
    private readonly features: EncodedFeatures,
    name: string,
  ) {
    this.name = name;
  }

  get length(): number {
    return this.features.n;
  }

  /** Found order (ascending feature numbers) is the keep-first order already. */
  rank(): void {}

  write(pbf: Pbf, count: number): void {
    if (count <= 0) return;
    const { values, setOf } = this;
    const { feature } = this.features;
    values.reset();
    for (let i = 0; i < count; i++) values.add(setOf[feature[i]]);
    let pos = this.shell.begin(pbf, this.size(count));
    const buf = pbf.buf;
    for (let i = 0; i < count; i++) pos = this.writeFeature(buf, pos, i);
    pos = this.shell.writeKeys(buf, pos);
    pos = values.writeValues(buf, pos);
    this.shell.finish(pbf, pos);
  }

  /** The layer body's bytes; notes each feature's message length. */
  private size(count: number): number {
    const { values, setOf } = this;
    const { feature, end, length } = this.features;
    let body = this.shell.fixedLength + values.valuesLength;
    for (let i = 0; i < count; i++) {
      const tags = values.tagLength(setOf[feature[i]]);
      const commands = end[i] - (i > 0 ? end[i - 1] : 0);
      const len = 1 + varintLength(feature[i] + 1) + (tags > 0 ? messageLength(tags) : 0) + 2 + messageLength(commands);
      length[i] = len;
      body += messageLength(len);
    }
    return body;
  }

  /** Writes the i-th feature (sized) at pos; returns the new position. */
  private writeFeature(buf: Uint8Array, pos: number, i: number): number {
    const { values } = this;
    const { feature, type, end, length, geometry } = this.features;
    const s = this.setOf[feature[i]];
    buf[pos++] = 0x12; // Layer.features (2)
    pos = putVarint(buf, pos, length[i]);
    buf[pos++] = 0x08; // Feature.id (1)
    pos = putVarint(buf, pos, feature[i] + 1);
    const tags = values.tagLength(s);
    if (tags > 0) {
      buf[pos++] = 0x12; // Feature.tags (2), packed
      pos = putVarint(buf, pos, tags);
      pos = values.writeTags(buf, pos, s);
    }
    buf[pos++] = 0x18; // Feature.type (3)
    buf[pos++] = type[i];
    const from = i > 0 ? end[i - 1] : 0;
    buf[pos++] = 0x22; // Feature.geometry (4), packed
    pos = putVarint(buf, pos, end[i] - from);
    return copyBytes(buf, pos, geometry.buf, from, end[i]);
  }
}
