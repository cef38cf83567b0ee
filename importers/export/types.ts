import type { Geometry } from '../../src/domain/types.js';
import type { ImportLayerName, StoredFeature } from '../import-layers.js';

/** Every pass calls this again: a store layer is re-read (paged), an array is walked again. */
export type FeatureSource = () => AsyncIterable<StoredFeature>;

export interface WriterInput {
  layer: ImportLayerName;
  features: FeatureSource;
  /** Geometry type to use when the layer is empty (nothing to learn it from). */
  emptyFamily: 'point' | 'line' | 'polygon';
}

export interface ExportResult {
  /** Files written, in the order a person would open them. */
  files: string[];
  count: number;
  /** What did not survive the format (cut names or text, characters the encoding lacks), in words. */
  warnings: string[];
}

/** `g` with a lone Polygon/LineString/Point as its Multi* form, where a column declares Multi*. */
export function promote(g: Geometry, multi: boolean): Geometry {
  if (!multi) return g;
  if (g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates] };
  if (g.type === 'LineString') return { type: 'MultiLineString', coordinates: [g.coordinates] };
  if (g.type === 'Point') return { type: 'MultiPoint', coordinates: [g.coordinates] };
  return g;
}
