import type { Knex } from 'knex';
import { ImportRunError } from '../import-errors.js';
import { resolveImportLayer, type ImportLayerName } from '../import-layers.js';
import { writeCsv } from './csv.js'; // CSV: lon/lat or WKT, UTF-8 with BOM
import { writeGeoJson } from './geojson.js'; // GeoJSON FeatureCollection, streamed
import { writeGeoPackage } from './gpkg.js'; // standalone GeoPackage with one feature table
import { layerFeatures } from './read-layer.js'; // the store layer, paged, in key order
import { writeShapefile } from './shapefile.js'; // .shp/.shx/.dbf/.prj/.cpg, GBK or UTF-8
import { writeZipped } from './zip-output.js'; // any of them packed as one .zip
import type { ExportResult, FeatureSource, WriterInput } from './types.js';

export type { ExportResult } from './types.js';
export { writeShapefile } from './shapefile.js';
export { CGCS2000_PRJ, CGCS2000_GK_CM120_PRJ } from './prj.js';

/**
 * `exportLayer`: one layer of the store back into the files surveyors' tools read — the way back of
 * `importLayer`, with the same census field names, so an export imports again without a mapping.
 * Reads only; the layer is read in pages, once per writer pass.
 */
export const EXPORT_FORMATS = ['geojson', 'csv', 'shp', 'gpkg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** grids | components | addresses | roads | admin | zones. */
  layer: string;
  format: string;
  /** Output file; for shp the .shp path (sidecars and per-family files go next to it). */
  out: string;
  /** Shapefile text encoding: gbk (default) or utf-8. Other formats are always UTF-8. */
  encoding?: string;
  /** Pack the files as one .zip at `out` (named after it inside). */
  zip?: boolean;
}

const EMPTY_FAMILY: Record<ImportLayerName, WriterInput['emptyFamily']> = {
  components: 'point', addresses: 'point', roads: 'line', grids: 'polygon', admin: 'polygon', zones: 'polygon',
};

export function writerInput(layer: ImportLayerName, features: FeatureSource): WriterInput {
  return { layer, features, emptyFamily: EMPTY_FAMILY[layer] };
}

export async function exportLayer(db: Knex, options: ExportOptions): Promise<ExportResult> {
  const layer = resolveImportLayer(options.layer);
  if (!layer) throw new ImportRunError('IMPORT_UNKNOWN_LAYER', `--layer ${JSON.stringify(options.layer)} is none of grids, components, addresses, roads, admin, zones.`);
  const format = options.format.toLowerCase();
  if (options.encoding !== undefined && format !== 'shp') {
    throw new ImportRunError('IMPORT_BAD_OPTION', `--encoding applies to shapefiles only; ${format} is always UTF-8.`);
  }
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ImportRunError('IMPORT_BAD_OPTION', `--format ${JSON.stringify(options.format)} is none of ${EXPORT_FORMATS.join(', ')}.`);
  }
  if (options.zip && !/\.zip$/i.test(options.out)) throw new ImportRunError('IMPORT_BAD_OPTION', `--zip needs an --out ending in .zip, not ${JSON.stringify(options.out)}.`);
  const input = writerInput(layer.name, () => layerFeatures(db, layer.codec));
  const write = (out: string) => writeFormat(format as ExportFormat, out, input, options.encoding);
  return options.zip ? writeZipped(options.out, format, write) : write(options.out);
}

function writeFormat(format: ExportFormat, out: string, input: WriterInput, encoding: string | undefined): Promise<ExportResult> {
  switch (format) {
    case 'geojson': return writeGeoJson(out, input);
    case 'csv': return writeCsv(out, input);
    case 'shp': return writeShapefile(out, input, { encoding });
    case 'gpkg': return writeGeoPackage(out, input);
  }
}
