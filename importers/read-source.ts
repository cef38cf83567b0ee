import { stat } from 'node:fs/promises';
import path from 'node:path';
import { openCsv } from './csv.js';
import { ImportError } from './errors.js';
import { checkMapping, loadMapping, type FieldMapping } from './field-mapping.js';
import { openGeoJson } from './geojson.js';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.js';
import { openShapefile } from './shapefile.js';
import type { ReadOptions, Source, SourceFormat } from './types.js';
import { extractLayer } from './zip.js';

type Opener = (file: string, options: ReadOptions, limits: ReadLimits) => Promise<Omit<Source, 'container' | 'mapping' | 'close'>>;

const OPENERS: Array<[RegExp, SourceFormat, Opener]> = [
  [/\.shp$/i, 'shapefile', openShapefile],
  [/\.(geojson|json)(\.gz)?$/i, 'geojson', openGeoJson],
  [/\.(csv|txt|tsv)(\.gz)?$/i, 'csv', openCsv],
];

function openerOf(file: string): Opener {
  const found = OPENERS.find(([re]) => re.test(file));
  if (!found) {
    throw new ImportError('IMPORT_UNKNOWN_FORMAT', `${path.basename(file)} is not a format Wanmi reads (.zip, .shp, .geojson/.json, .csv, optionally .gz).`, { file });
  }
  return found[2];
}

async function mustExist(file: string): Promise<void> {
  try {
    if ((await stat(file)).isFile()) return;
  } catch {
    // reported below, in words
  }
  throw new ImportError('IMPORT_NOT_FOUND', `${file} does not exist or is not a file.`, { file });
}

async function mappingOf(option: ReadOptions['mapping']): Promise<FieldMapping> {
  if (option === undefined) return {};
  return typeof option === 'string' ? loadMapping(option) : checkMapping(option);
}

/**
 * Open a census source and describe it, reading records lazily:
 * 1. check the mapping option first (a bad mapping file fails before any data is read);
 * 2. a .zip is checked and the chosen layer extracted to a private temp folder (see zip.ts);
 * 3. the format's opener checks headers, chooses encoding and CRS, and returns a re-iterable record stream.
 * Call `close()` when done: it removes what a zip left in the temp folder.
 */
export async function readSource(file: string, options: ReadOptions = {}): Promise<Source> {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const mapping = await mappingOf(options.mapping);
  await mustExist(file);
  if (!/\.zip$/i.test(file)) {
    const source = await openerOf(file)(file, options, limits);
    return { ...source, container: null, mapping, close: async () => undefined };
  }
  const extracted = await extractLayer(file, options.layer, limits);
  try {
    const source = await openerOf(extracted.main)(extracted.main, options, limits);
    let closed: Promise<void> | null = null;
    return { ...source, layer: extracted.layer, container: 'zip', mapping, close: () => (closed ??= extracted.cleanup()) };
  } catch (err) {
    await extracted.cleanup();
    throw err;
  }
}
