import type Pbf from 'pbf';
import { command, MOVE_TO, putVarint, varintLength, zigzag, type LayerCut } from './mvt-writer.js';
import { LayerShell, messageLength } from './layer-bytes.js';
import type { TileFrame } from './mercator.js';
import type { FeatureFilter } from './indexed-layer.js';
import type { LayerRenderer, TileFilters, VectorLayerInfo } from './source.js';

/** Major classes counted separately in a cluster: 01 公用设施 … 06 其他设施 (GB/T 30428.2). */
export const MAJORS = ['01', '02', '03', '04', '05', '06'] as const;
/** Slot for a class outside MAJORS: counted in `count` only. */
export const OTHER_MAJOR = 255;

export interface ClusterLayerSpec {
  info: VectorLayerInfo;
  /** Calls visit(f, X, Y) with the normalised anchor of every feature whose anchor may lie in the box. */
  anchors: (minX: number, minY: number, maxX: number, maxY: number, visit: (f: number, X: number, Y: number) => void) => void;
  /** Per feature: its attribute set; per set: index into MAJORS, or OTHER_MAJOR. */
  setOf: ArrayLike<number>;
  majorOfSet: Uint8Array;
  compileFilter?: (filters: TileFilters) => FeatureFilter | null;
  /** Cells per tile side (64 → 64 × 64 cells of 64 units at extent 4096). */
  cells: number;
}

/**
 * Below the cluster zoom a component tile is one point per occupied cell of a cells × cells grid over
 * the tile, so its size is bounded by the cell count (≤ 4096 points) however dense the data.
 *
 *   ┌──┬──┬──┐   each component is counted in exactly one tile and one cell: the one holding its anchor
 *   │ ●│  │●3│   (the point itself, or its bounding-box centre for lines and polygons), tiles and cells
 *   ├──┼──┼──┤   half-open [x0, x1) × [y0, y1). So the counts of a tile sum to the components whose
 *   │  │●2│  │   anchor lies in the tile, and the tiles of one zoom sum to the whole (filtered) layer.
 *   └──┴──┴──┘   The point sits at the mean anchor of the cell's components, not at the cell centre.
 *
 * Attributes: count, and count_01 … count_06 by major class. Filters apply before counting. The bins
 * are the renderer's, reused tile after tile (a cut is written before the layer's next render).
 */
export function clusterLayer(spec: ClusterLayerSpec): LayerRenderer {
  const bins = newBins(spec.cells);
  const shell = new LayerShell(spec.info.id, KEYS);
  const numbers = new NumberValues();
  return {
    info: spec.info,
    render(frame: TileFrame, filters: TileFilters): LayerCut {
      const accept = spec.compileFilter?.(filters) ?? null;
      bin(spec, bins, frame, accept);
      return new ClusterCut(spec.info.id, shell, bins, numbers, spec.cells, frame.extent);
    },
  };
}

/** The attributes of a cluster, in key order: count, then count_01 … count_06. */
const KEYS = ['count', ...MAJORS.map((m) => `count_${m}`)];

/** Per cell: count, counts by major class, sums of the tile-relative anchors. Reused tile after tile. */
interface Bins {
  count: Uint32Array;
  byMajor: Uint32Array;
  sumX: Float64Array;
  sumY: Float64Array;
}

function newBins(cells: number): Bins {
  return {
    count: new Uint32Array(cells * cells),
    byMajor: new Uint32Array(cells * cells * MAJORS.length),
    sumX: new Float64Array(cells * cells),
    sumY: new Float64Array(cells * cells),
  };
}

function bin(spec: ClusterLayerSpec, bins: Bins, frame: TileFrame, accept: FeatureFilter | null): void {
  const cells = spec.cells;
  bins.count.fill(0);
  bins.byMajor.fill(0);
  bins.sumX.fill(0);
  bins.sumY.fill(0);
  const n = 2 ** frame.z;
  // Visit without building a hit list: at z12 one tile can hold the whole city.
  spec.anchors(frame.x / n, frame.y / n, (frame.x + 1) / n, (frame.y + 1) / n, (i, X, Y) => {
    // Tile-relative anchor in [0, 1): exact subtraction keeps neighbouring tiles from both counting an edge.
    const ax = X * n - frame.x;
    const ay = Y * n - frame.y;
    if (ax < 0 || ax >= 1 || ay < 0 || ay >= 1) return;
    if (accept && !accept(i)) return;
    const c = Math.floor(ay * cells) * cells + Math.floor(ax * cells);
    bins.count[c]++;
    bins.sumX[c] += ax;
    bins.sumY[c] += ay;
    const slot = spec.majorOfSet[spec.setOf[i]];
    if (slot !== OTHER_MAJOR) bins.byMajor[c * MAJORS.length + slot]++;
  });
}

/**
 * One point per occupied cell, at the mean anchor, written straight to bytes: id = cell + 1, the seven
 * counts as numbers (deduplicated per tile: most are small and repeat), the cells in order.
 */
class ClusterCut implements LayerCut {
  readonly length: number;
  /** Occupied cells, in cell order, and their points in tile units. */
  private readonly cell: Uint32Array;
  private readonly xy: Int32Array;

  constructor(
    readonly name: string,
    private readonly shell: LayerShell,
    private readonly bins: Bins,
    private readonly numbers: NumberValues,
    cells: number,
    extent: number,
  ) {
    let occupied = 0;
    for (let c = 0; c < cells * cells; c++) if (bins.count[c] > 0) occupied++;
    this.length = occupied;
    this.cell = new Uint32Array(occupied);
    this.xy = new Int32Array(2 * occupied);
    for (let c = 0, k = 0; c < cells * cells; c++) {
      const count = bins.count[c];
      if (count === 0) continue;
      this.cell[k] = c;
      this.xy[2 * k] = Math.min(extent - 1, Math.round((bins.sumX[c] / count) * extent));
      this.xy[2 * k + 1] = Math.min(extent - 1, Math.round((bins.sumY[c] / count) * extent));
      k++;
    }
  }

  /** Cell order is the keep-first order (clusters are bounded by cells, so caps do not bite). */
  rank(): void {}

  write(pbf: Pbf, count: number): void {
    if (count <= 0) return;
    const { bins, numbers, cell, xy } = this;
    const K = MAJORS.length;
    const value = (k: number, j: number) => (j === 0 ? bins.count[cell[k]] : bins.byMajor[cell[k] * K + j - 1]);
    numbers.reset();
    let body = this.shell.fixedLength;
    for (let k = 0; k < count; k++) {
      let tags = 0;
      for (let j = 0; j <= K; j++) tags += 1 + varintLength(numbers.add(value(k, j)));
      const geometry = 1 + varintLength(zigzag(xy[2 * k])) + varintLength(zigzag(xy[2 * k + 1]));
      body += messageLength(1 + varintLength(cell[k] + 1) + messageLength(tags) + 2 + messageLength(geometry));
    }
    body += numbers.bytes;
    let pos = this.shell.begin(pbf, body);
    const buf = pbf.buf;
    for (let k = 0; k < count; k++) {
      let tags = 0;
      for (let j = 0; j <= K; j++) tags += 1 + varintLength(numbers.add(value(k, j)));
      const zx = zigzag(xy[2 * k]);
      const zy = zigzag(xy[2 * k + 1]);
      const geometry = 1 + varintLength(zx) + varintLength(zy);
      buf[pos++] = 0x12; // Layer.features (2)
      pos = putVarint(buf, pos, 1 + varintLength(cell[k] + 1) + messageLength(tags) + 2 + messageLength(geometry));
      buf[pos++] = 0x08; // Feature.id (1)
      pos = putVarint(buf, pos, cell[k] + 1);
      buf[pos++] = 0x12; // Feature.tags (2), packed
      pos = putVarint(buf, pos, tags);
      for (let j = 0; j <= K; j++) {
        buf[pos++] = j;
        pos = putVarint(buf, pos, numbers.add(value(k, j)));
      }
      buf[pos++] = 0x18; // Feature.type (3): point
      buf[pos++] = 1;
      buf[pos++] = 0x22; // Feature.geometry (4), packed
      pos = putVarint(buf, pos, geometry);
      buf[pos++] = command(MOVE_TO, 1);
      pos = putVarint(buf, pos, zx);
      pos = putVarint(buf, pos, zy);
    }
    pos = this.shell.writeKeys(buf, pos);
    pos = numbers.write(buf, pos);
    this.shell.finish(pbf, pos);
  }
}

/** A tile's distinct counts as uint values, indexed in order of first use; reused tile after tile. */
class NumberValues {
  private index: Int32Array = new Int32Array(1024).fill(-1);
  private used: number[] = [];
  /** Bytes of the values' fields. */
  bytes = 0;

  reset(): void {
    for (const v of this.used) this.index[v] = -1;
    this.used.length = 0;
    this.bytes = 0;
  }

  /** The value index of v (a count), given the next index on first use. */
  add(v: number): number {
    if (v >= this.index.length) {
      const index = new Int32Array(Math.max(v + 1, 2 * this.index.length)).fill(-1);
      index.set(this.index);
      this.index = index;
    }
    if (this.index[v] < 0) {
      this.index[v] = this.used.push(v) - 1;
      this.bytes += messageLength(1 + varintLength(v));
    }
    return this.index[v];
  }

  /** Layer.values fields: Value.uint_value (5) of each, in index order. */
  write(buf: Uint8Array, pos: number): number {
    for (const v of this.used) {
      buf[pos++] = 0x22;
      pos = putVarint(buf, pos, 1 + varintLength(v));
      buf[pos++] = 0x28;
      pos = putVarint(buf, pos, v);
    }
    return pos;
  }
}
