import { mapRecords, type FieldMapping, type MappedRecords } from './field-mapping.js';
import type { ImportLayer } from './import-layers.js';
import { readSource } from './read-source.js';
import type { Source } from './types.js';

/** Opening a census file and reading its mapped rows: shared by `wanmi validate` and both import passes. */
export interface SourceOptions {
  encoding?: string;
  crs?: string;
  mapping?: FieldMapping | string;
  /** The layer inside a zip holding several. */
  sourceLayer?: string;
  csv?: { x?: string; y?: string; delimiter?: string };
}

export interface ImportProgress {
  phase: 'validate' | 'write';
  done: number;
  /** Unknown while validating (the file is streamed). */
  total: number | null;
}

export function openSource(path: string, o: SourceOptions): Promise<Source> {
  return readSource(path, { encoding: o.encoding, crs: o.crs, layer: o.sourceLayer, mapping: o.mapping, csv: o.csv });
}

/** Mapped rows; GeoJSON features may differ in their properties, so they are resolved per feature. */
export function sourceRows(source: Source, layer: Pick<ImportLayer, 'mappable'>): MappedRecords<ImportLayer['mappable']> {
  const fields = source.format === 'geojson' ? undefined : source.fields.map((f) => f.name);
  return mapRecords(layer.mappable, source.records, source.mapping, fields ? { fields } : {});
}
