import type { MvtFeature, MvtProperties } from './mvt-writer.js';
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
  /** Keep-first order under the caps (see hashRanks). Default: row order. */
  rank?: Ranks;
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
    render(frame: TileFrame, filters: TileFilters): MvtFeature[] {
      const accept = spec.compileFilter?.(filters) ?? null;
      const features: MvtFeature[] = [];
      const found = candidates(spec, frame);
      for (let k = 0; k < found.length; k++) {
        const i = found[k];
        if (spec.minzoomOf && spec.minzoomOf(i) > frame.z) continue;
        if (accept && !accept(i)) continue;
        const geometry = cutFeature(spec.index, i, frame, spec.cut ?? DEFAULT_CUT);
        if (geometry) features.push({ id: i + 1, geometry, properties: spec.properties(i) });
      }
      return features;
    },
  };
}

function candidates(spec: IndexedLayerSpec, frame: TileFrame): ArrayLike<number> {
  const found = spec.index.search(frame.minX, frame.minY, frame.maxX, frame.maxY);
  if (!spec.rank) return found;
  // Sort ranks as a typed array (numeric, no comparator calls), then map back to rows.
  const { rankOf, rowAt } = spec.rank;
  const ranks = found.map((i) => rankOf[i]).sort();
  return ranks.map((r) => rowAt[r]);
}

/** A permutation of the rows and its inverse. */
export interface Ranks {
  rankOf: Uint32Array;
  rowAt: Uint32Array;
}

/**
 * A stable keep-first order from string ids: FNV-1a hashes sorted, ties by row. Dropping by hash thins a
 * crowded tile evenly across classes and space, where dropping by id would cut whole classes.
 */
export function hashRanks(ids: readonly string[]): Ranks {
  const hashes = ids.map(fnv1a);
  const rowAt = Uint32Array.from(ids, (_, i) => i).sort((a, b) => hashes[a] - hashes[b] || a - b);
  const rankOf = new Uint32Array(ids.length);
  rowAt.forEach((row, r) => (rankOf[row] = r));
  return { rankOf, rowAt };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
