import { featureLayer, type LayerCut, type MvtFeature, type MvtProperties } from './mvt-writer.js';
import type { TileFrame } from './mercator.js';
import type { TileLayerIndex } from './layer-index.js';
import type { LayerRenderer, TileFilters, VectorLayerInfo } from './source.js';
import { cutFeature, DEFAULT_CUT, type CutOptions } from './cut.js';

/** A predicate over feature numbers, compiled once per request from its filters. */
export type FeatureFilter = (i: number) => boolean;

export interface IndexedLayerSpec {
  info: VectorLayerInfo;
  index: TileLayerIndex;
  /** MVT attributes of feature i (plain values from the side arrays). */
  properties: (i: number) => MvtProperties;
  /** Per-feature first zoom (e.g. street labels from z12, community labels from z14). */
  minzoomOf?: (i: number) => number;
  /** Compiles request filters; null when they select everything. */
  compileFilter?: (filters: TileFilters) => FeatureFilter | null;
  cut?: CutOptions;
}

/**
 * A layer cut straight from a TileLayerIndex: R-tree search over the tile plus buffer, per-feature zoom
 * and filter tests on the side arrays, then clip/simplify/quantise each survivor. Feature ids are the
 * row number + 1: unique and stable within a data version (codes and 17-digit ids exceed 2^53, so the
 * string id travels as an attribute; MapLibre clients use `promoteId`).
 */
export function indexedLayer(spec: IndexedLayerSpec): LayerRenderer {
  return {
    info: spec.info,
    render(frame: TileFrame, filters: TileFilters): LayerCut {
      const accept = spec.compileFilter?.(filters) ?? null;
      const features: MvtFeature[] = [];
      // Ascending feature numbers: row order is the keep-first order under the caps.
      const found = spec.index.search(frame.minX, frame.minY, frame.maxX, frame.maxY);
      for (let k = 0; k < found.length; k++) {
        const i = found[k];
        if (spec.minzoomOf && spec.minzoomOf(i) > frame.z) continue;
        if (accept && !accept(i)) continue;
        const geometry = cutFeature(spec.index, i, frame, spec.cut ?? DEFAULT_CUT);
        if (geometry) features.push({ id: i + 1, geometry, properties: spec.properties(i) });
      }
      return featureLayer(spec.info.id, features);
    },
  };
}
