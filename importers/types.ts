import type { CrsSpec, DatumShift } from '../src/crs/index.js';
import type { Geometry } from '../src/domain/types.js';
import type { EncodingSource } from './encoding.js';
import type { ImportWarning } from './errors.js';
import type { FieldMapping } from './field-mapping.js';
import type { ReadLimits } from './limits.js';

/** One record as read, before field mapping: geometry already in CGCS2000 lon/lat. */
export interface RawRecord {
  /** 1-based: shapefile record number, CSV data row (header excluded), GeoJSON feature index + 1. */
  row: number;
  /** Null for null/empty shapes and CSV rows without coordinates; validation reports them. */
  geometry: Geometry | null;
  properties: Record<string, unknown>;
}

export type SourceFormat = 'shapefile' | 'geojson' | 'csv';

export interface SourceField {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'unknown';
  /** dBASE width and decimals, for shapefiles. */
  length?: number;
  decimals?: number;
}

export interface CrsInfo {
  label: string;
  /** prj = declared by the file (.prj, or a GeoJSON crs member); option = given by the caller;
   *  assumed = nothing declared (RFC 7946 GeoJSON, or lon/lat-looking coordinates). */
  source: 'prj' | 'option' | 'assumed';
  epsg: number | null;
  datumShift: DatumShift;
}

export interface ReadOptions {
  /** Text encoding of .dbf/.csv, overriding .cpg, language byte and detection (gbk, utf-8, big5, 936…). */
  encoding?: string;
  /** Source CRS, overriding .prj/crs member: a CrsSpec, or text parseCrsSpec understands (EPSG:4549, gcj02, WKT). */
  crs?: CrsSpec | string;
  /** Which layer of a zip to read (file name without extension), when it holds several. */
  layer?: string;
  /** Field mapping, or the path of a JSON file holding one; checked here, applied by mapRecords. */
  mapping?: FieldMapping | string;
  /** CSV coordinate columns and delimiter, when detection is not enough. */
  csv?: { x?: string; y?: string; delimiter?: string };
  limits?: Partial<ReadLimits>;
}

export interface Source {
  format: SourceFormat;
  /** 'zip' when the layer came out of an archive. */
  container: 'zip' | null;
  /** Layer name: the file name without extension. */
  layer: string;
  /** The encoding text is decoded with (GeoJSON: always utf-8), and how it was chosen. */
  encoding: string;
  encodingSource: EncodingSource;
  crs: CrsInfo;
  /** Attribute fields in file order (GeoJSON: the first feature's properties). */
  fields: SourceField[];
  /** Things a person should know; may grow while records are read (e.g. damaged text per field). */
  warnings: ImportWarning[];
  /** The mapping from options, loaded and checked, for mapRecords. */
  mapping: FieldMapping;
  /** Re-iterable: each iteration reads the file again, holding one chunk and one record at a time. */
  records: AsyncIterable<RawRecord>;
  /** Remove temporary files (a zip's extracted layer). Safe to call twice. */
  close(): Promise<void>;
}
