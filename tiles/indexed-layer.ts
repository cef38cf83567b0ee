import type { TileFrame } from './mercator.js';
import type { TileLayerIndex } from './layer-index.js';
import type { LayerCut } from './mvt-writer.js';
import type { LayerRenderer, TileFilters, VectorLayerInfo } from './source.js';
import { DEFAULT_CUT, type CutOptions } from './cut.js';
import { TileValues, type ValueSets } from './value-sets.js';
import { LayerShell } from './layer-bytes.js';
import { EncodedCut, EncodedFeatures } from './encoded-layer.js';

/** A predicate over feature numbers, compiled once per request from its filters. */
export type FeatureFilter = (i: number) => boolean;

export interface IndexedLayerSpec {
  info: VectorLayerInfo;
  index: TileLayerIndex;
  /** MVT attributes of every feature, interned at build (feature i = row i). */
  values: ValueSets;
  /** Per-feature first zoom (e.g. street labels from z12, community labels from z14). */
  minzoomOf?: (i: number) => number;
  /** Compiles request filters; null when they select everything. */
  compileFilter?: (filters: TileFilters) => FeatureFilter | null;
  cut?: CutOptions;
}

/**
 * A layer cut straight from a TileLayerIndex: R-tree search over the tile plus buffer, per-feature zoom
 * and filter tests, then each survivor clipped, simplified and encoded to command bytes (GeometryBytes),
 * and the layer written straight to bytes with its interned attributes (EncodedCut): no feature or
 * properties object per feature. Feature ids are the row number + 1: unique and stable within a data
 * version (codes and 17-digit ids exceed 2^53, so the string id travels as an attribute; MapLibre
 * clients use `promoteId`).
 */
export function indexedLayer(spec: IndexedLayerSpec): LayerRenderer {
  const shell = new LayerShell(spec.info.id, spec.values.keys);
  const values = new TileValues(spec.values);
  const encoded = new EncodedFeatures();
  const cut = spec.cut ?? DEFAULT_CUT;
  return {
    info: spec.info,
    render(frame: TileFrame, filters: TileFilters): LayerCut {
      const accept = spec.compileFilter?.(filters) ?? null;
      encoded.reset();
      // Ascending feature numbers: row order is the keep-first order under the caps.
      const found = spec.index.search(frame.minX, frame.minY, frame.maxX, frame.maxY);
      for (let k = 0; k < found.length; k++) {
        const i = found[k];
        if (spec.minzoomOf && spec.minzoomOf(i) > frame.z) continue;
        if (accept && !accept(i)) continue;
        const type = encoded.geometry.cut(spec.index, i, frame, cut);
        if (type) encoded.add(i, type);
      }
      return new EncodedCut(shell, values, spec.values.setOf, encoded, spec.info.id);
    },
  };
}
