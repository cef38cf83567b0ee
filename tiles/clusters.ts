import { featureLayer, type LayerCut, type MvtFeature } from './mvt-writer.js';
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
  /** Per feature: index into MAJORS, or OTHER_MAJOR. */
  majorSlot: Uint8Array;
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
 * Attributes: count, and count_01 … count_06 by major class. Filters apply before counting.
 */
export function clusterLayer(spec: ClusterLayerSpec): LayerRenderer {
  return {
    info: spec.info,
    render(frame: TileFrame, filters: TileFilters): LayerCut {
      const accept = spec.compileFilter?.(filters) ?? null;
      return featureLayer(spec.info.id, emit(bin(spec, frame, accept), spec.cells, frame.extent));
    },
  };
}

interface Bins {
  count: Uint32Array;
  byMajor: Uint32Array;
  sumX: Float64Array;
  sumY: Float64Array;
}

function bin(spec: ClusterLayerSpec, frame: TileFrame, accept: FeatureFilter | null): Bins {
  const cells = spec.cells;
  const bins: Bins = {
    count: new Uint32Array(cells * cells),
    byMajor: new Uint32Array(cells * cells * MAJORS.length),
    sumX: new Float64Array(cells * cells),
    sumY: new Float64Array(cells * cells),
  };
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
    const slot = spec.majorSlot[i];
    if (slot !== OTHER_MAJOR) bins.byMajor[c * MAJORS.length + slot]++;
  });
  return bins;
}

function emit(bins: Bins, cells: number, extent: number): MvtFeature[] {
  const features: MvtFeature[] = [];
  for (let c = 0; c < cells * cells; c++) {
    const count = bins.count[c];
    if (count === 0) continue;
    const x = Math.min(extent - 1, Math.round((bins.sumX[c] / count) * extent));
    const y = Math.min(extent - 1, Math.round((bins.sumY[c] / count) * extent));
    const properties: Record<string, number> = { count };
    MAJORS.forEach((m, k) => (properties[`count_${m}`] = bins.byMajor[c * MAJORS.length + k]));
    features.push({ id: c + 1, geometry: { type: 'Point', points: [x, y] }, properties });
  }
  return features;
}
