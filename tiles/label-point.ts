import { POLYGON, type TileLayerIndex } from './layer-index.js';
import { GEOM_TYPE, type LayerCut } from './mvt-writer.js';
import { TileValues } from './value-sets.js';
import { LayerShell } from './layer-bytes.js';
import { EncodedCut, EncodedFeatures } from './encoded-layer.js';
import type { TileFrame } from './mercator.js';
import type { IndexedLayerSpec } from './indexed-layer.js';
import type { LayerRenderer } from './source.js';

/**
 * A label point inside each polygon feature, computed once at build in normalised space.
 *
 *   ┌────────────┐      Several horizontal scanlines cross the feature's rings (every ring, so holes
 *   │  ══●═══    │      are gaps); the longest inside stretch wins and its midpoint is the label.
 *   │ ┌──┐  ═══  │      Unlike the centroid it is always inside, also for L-, U- and ring-shaped
 *   │ └──┘       │      communities; unlike polylabel it costs a few passes over the vertices.
 *   └────────────┘
 *
 * Falls back to the bounding-box centre for a feature with no inside stretch (degenerate) or no polygon.
 */
export function labelPoints(index: TileLayerIndex, scanlines = 7): Float64Array {
  const out = new Float64Array(index.size * 2);
  for (let f = 0; f < index.size; f++) {
    const [x, y] = index.kind[f] === POLYGON ? labelOf(index, f, scanlines) : [index.anchor[2 * f], index.anchor[2 * f + 1]];
    out[2 * f] = x;
    out[2 * f + 1] = y;
  }
  return out;
}

function labelOf(index: TileLayerIndex, f: number, scanlines: number): [number, number] {
  const minY = index.bboxes[4 * f + 1];
  const maxY = index.bboxes[4 * f + 3];
  let best: [number, number] = [index.anchor[2 * f], index.anchor[2 * f + 1]];
  let bestLength = 0;
  // Scanlines from the middle outwards, so a tie keeps the most central one.
  for (let k = 0; k < scanlines; k++) {
    const step = ((k + 1) >> 1) * (k % 2 ? 1 : -1);
    const y = minY + ((maxY - minY) * (scanlines + 1 + 2 * step)) / (2 * scanlines + 2);
    const xs = crossings(index, f, y);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      if (xs[i + 1] - xs[i] > bestLength) {
        bestLength = xs[i + 1] - xs[i];
        best = [(xs[i] + xs[i + 1]) / 2, y];
      }
    }
  }
  return best;
}

/** Sorted x where the horizontal line at y crosses the feature's rings (half-open in y: no double count at vertices). */
function crossings(index: TileLayerIndex, f: number, y: number): number[] {
  const xs: number[] = [];
  const c = index.coords;
  for (let p = index.featPart[f]; p < index.featPart[f + 1]; p++) {
    const start = index.partStart[p];
    const end = index.partStart[p + 1];
    for (let i = start, j = end - 1; i < end; j = i++) {
      const ay = c[2 * i + 1];
      const by = c[2 * j + 1];
      if (ay > y === by > y) continue;
      xs.push(c[2 * i] + ((y - ay) * (c[2 * j] - c[2 * i])) / (by - ay));
    }
  }
  return xs.sort((a, b) => a - b);
}

/**
 * A point layer of label positions for the polygons of spec.index: the polygons' R-tree finds candidates,
 * the label point decides (inside the tile plus buffer, so a label near an edge reaches both tiles).
 * Attributes: the first `keyCount` keys of spec.values (a label carries a prefix of its polygon's).
 */
export function labelLayer(spec: Omit<IndexedLayerSpec, 'cut' | 'compileFilter'>, labels: Float64Array, keyCount = spec.values.keys.length): LayerRenderer {
  const shell = new LayerShell(spec.info.id, spec.values.keys.slice(0, keyCount));
  const values = new TileValues(spec.values, keyCount);
  const encoded = new EncodedFeatures();
  return {
    info: spec.info,
    render(frame: TileFrame): LayerCut {
      encoded.reset();
      const pad = frame.buffer / frame.extent;
      const n = 2 ** frame.z;
      for (const i of spec.index.search(frame.minX, frame.minY, frame.maxX, frame.maxY)) {
        if (spec.minzoomOf && spec.minzoomOf(i) > frame.z) continue;
        const tx = labels[2 * i] * n - frame.x;
        const ty = labels[2 * i + 1] * n - frame.y;
        if (tx < -pad || tx > 1 + pad || ty < -pad || ty > 1 + pad) continue;
        encoded.geometry.point(Math.round(tx * frame.extent), Math.round(ty * frame.extent));
        encoded.add(i, GEOM_TYPE.Point);
      }
      return new EncodedCut(shell, values, spec.values.setOf, encoded, spec.info.id);
    },
  };
}
