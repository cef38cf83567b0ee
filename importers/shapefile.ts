import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crsFromPrj } from '../src/crs/index.js';
import { FileBytes } from './byte-reader.js';
import { fieldNames, readDbfHeader, readDbfRows, sampleText, sourceFields, type DbfHeader } from './dbf.js';
import { decodeCell } from './dbf-values.js';
import { decoderFor, type Decoder } from './decoders.js';
import { chooseEncoding, encodingFromLdid } from './encoding.js';
import { ImportError, type ImportWarning } from './errors.js';
import { looksLonLat, mapPositions } from './geometry.js';
import { tooManyRecords, type ReadLimits } from './limits.js';
import { HEADER_BYTES, parseShpHeader, readShpRecords, type ShpHeader } from './shp.js';
import { recordMaker } from './record-shape.js';
import { readShx, type ShxIndex } from './shx.js';
import { resolveCrs, type ResolvedCrs } from './source-crs.js';
import type { RawRecord, ReadOptions, Source } from './types.js';

/** The files of one shapefile; only .shp is required. */
export interface ShapefileParts {
  shp: string;
  shx?: string;
  dbf?: string;
  prj?: string;
  cpg?: string;
}

/** Sidecars next to a .shp, matched case-insensitively (ESRI tools write BOUNT_POLY.DBF next to .shp). */
export async function findSidecars(shpPath: string): Promise<ShapefileParts> {
  const dir = path.dirname(shpPath);
  const base = path.basename(shpPath).replace(/\.shp$/i, '').toLowerCase();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new ImportError('IMPORT_NOT_FOUND', `Cannot read the folder of ${path.basename(shpPath)}.`, { file: shpPath }, { cause });
  }
  const find = (ext: string) => names.find((n) => n.toLowerCase() === `${base}.${ext}`);
  const shp = find('shp');
  if (!shp) throw new ImportError('IMPORT_NOT_FOUND', `${path.basename(shpPath)} does not exist.`, { file: shpPath });
  const parts: ShapefileParts = { shp: path.join(dir, shp) };
  for (const ext of ['shx', 'dbf', 'prj', 'cpg'] as const) {
    const name = find(ext);
    if (name) parts[ext] = path.join(dir, name);
  }
  return parts;
}

/** Everything learnt by opening a shapefile, kept for every pass over its records. */
interface Layout {
  parts: ShapefileParts;
  header: ShpHeader;
  shx: ShxIndex | null;
  dbf: DbfHeader | null;
  names: string[];
  decoder: Decoder;
  crs: ResolvedCrs;
  limits: ReadLimits;
}

async function withFile<T>(file: string, f: (bytes: FileBytes) => Promise<T>): Promise<T> {
  const bytes = await FileBytes.open(file);
  try {
    return await f(bytes);
  } finally {
    await bytes.close();
  }
}

async function readHeaders(parts: ShapefileParts, limits: ReadLimits, warnings: ImportWarning[]) {
  const header = await withFile(parts.shp, async (f) => {
    const h = parseShpHeader(await f.readAt(0, HEADER_BYTES), f.size, f.path);
    if (h.declaredBytes < f.size) {
      const message = `The .shp has ${f.size - h.declaredBytes} bytes after the end its header declares; they were ignored.`;
      warnings.push({ code: 'IMPORT_TRAILING_BYTES', file: f.path, message });
    }
    return h;
  });
  const shx = parts.shx ? await withFile(parts.shx, (f) => readShx(f, header)) : null;
  if (!shx) warnings.push({ code: 'IMPORT_NO_SHX', file: parts.shp, message: 'There is no .shx index; records were read in sequence from the .shp.' });
  const dbf = parts.dbf ? await withFile(parts.dbf, readDbfHeader) : null;
  if (!dbf) warnings.push({ code: 'IMPORT_NO_DBF', file: parts.shp, message: 'There is no .dbf: records have no attributes.' });
  const count = shx?.count ?? dbf?.count ?? 0;
  if (count > limits.maxRecords) throw tooManyRecords(count, limits.maxRecords, parts.shp);
  if (shx && dbf && shx.count !== dbf.count) {
    throw new ImportError('IMPORT_COUNT_MISMATCH', `The .shx indexes ${shx.count} shapes but the .dbf holds ${dbf.count} records.`, { file: parts.dbf });
  }
  return { header, shx, dbf };
}

async function dbfEncoding(parts: ShapefileParts, dbf: DbfHeader | null, options: ReadOptions, warnings: ImportWarning[]) {
  const cpg = parts.cpg ? await readFile(parts.cpg, 'latin1') : undefined;
  const ldid = dbf ? encodingFromLdid(dbf.ldid) : null;
  return chooseEncoding({
    option: options.encoding,
    cpg,
    hint: ldid ? { encoding: ldid, source: 'ldid' } : null,
    samples: () => (dbf && parts.dbf ? withFile(parts.dbf, (f) => sampleText(f, dbf)) : Promise.resolve([])),
    file: parts.dbf ?? parts.shp,
  }, warnings);
}

function shapefileCrs(parts: ShapefileParts, prj: string | undefined, header: ShpHeader, options: ReadOptions, warnings: ImportWarning[]) {
  const box = header.bbox;
  return resolveCrs({
    option: options.crs,
    declared: prj !== undefined ? { text: prj.trim(), spec: crsFromPrj(prj) } : undefined,
    looksLonLat: { ok: looksLonLat(box), why: `their extent is x ${box[0]}…${box[2]}, y ${box[1]}…${box[3]}` },
    file: parts.prj ?? parts.shp,
  }, warnings);
}

/**
 * Open a loose shapefile (path to the .shp): 1. find sidecars; 2. check the .shp, .shx and .dbf headers
 * against each other; 3. choose the text encoding (option, .cpg, language byte, detection); 4. resolve the
 * CRS (option, .prj, lon/lat extent). Records are read lazily, once per iteration.
 */
export async function openShapefile(shpPath: string, options: ReadOptions, limits: ReadLimits): Promise<Omit<Source, 'container' | 'mapping' | 'close'>> {
  const parts = await findSidecars(shpPath);
  const warnings: ImportWarning[] = [];
  const { header, shx, dbf } = await readHeaders(parts, limits, warnings);
  const encoding = await dbfEncoding(parts, dbf, options, warnings);
  const decoder = decoderFor(encoding.encoding);
  const names = dbf ? fieldNames(dbf.fields, decoder) : [];
  const prj = parts.prj ? await readFile(parts.prj, 'utf8') : undefined;
  const crs = shapefileCrs(parts, prj, header, options, warnings);
  const layout: Layout = { parts, header, shx, dbf, names, decoder, crs, limits };
  return {
    format: 'shapefile',
    layer: path.basename(parts.shp).replace(/\.shp$/i, ''),
    encoding: encoding.encoding,
    encodingSource: encoding.source,
    crs: crs.info,
    fields: dbf ? sourceFields(dbf.fields, names) : [],
    warnings,
    records: { [Symbol.asyncIterator]: () => readRecords(layout, warnings) },
  };
}

/** Per-pass tallies that become warnings at the end of the first full pass. */
class TextAudit {
  deleted = 0;
  damaged = new Map<string, number>();

  note(name: string, value: string): void {
    if (value.includes('\uFFFD')) this.damaged.set(name, (this.damaged.get(name) ?? 0) + 1);
  }

  report(total: number, file: string, warnings: ImportWarning[]): void {
    const add = (w: ImportWarning) => {
      if (!warnings.some((x) => x.code === w.code && x.field === w.field)) warnings.push(w);
    };
    for (const [field, n] of this.damaged) {
      const message = `${n} of ${total} values of ${field} contain U+FFFD (�): the text was damaged before this file was made.`;
      add({ code: 'IMPORT_TEXT_DAMAGED', field, file, message });
    }
    if (this.deleted > 0) {
      const n = this.deleted === 1 ? '1 record is' : `${this.deleted} records are`;
      add({ code: 'IMPORT_DELETED_RECORDS', file, message: `${n} marked deleted in the .dbf; read anyway, as the shapes are still in the .shp.` });
    }
  }
}

/** One pass: .shp records zipped with .dbf rows, attributes decoded, geometry reprojected. */
async function* readRecords(layout: Layout, warnings: ImportWarning[]): AsyncGenerator<RawRecord> {
  const { parts, header, shx, dbf, names, decoder, crs, limits } = layout;
  const shp = await FileBytes.open(parts.shp);
  const table = dbf && parts.dbf ? await FileBytes.open(parts.dbf) : null;
  const rows = table && dbf ? readDbfRows(table, dbf) : null;
  const audit = new TextAudit();
  const fields = dbf?.fields ?? [];
  const makeProperties = recordMaker(names);
  const values: unknown[] = new Array(fields.length);
  let count = 0;
  try {
    for await (const rec of readShpRecords(shp, header, shx)) {
      if ((count = rec.row) > limits.maxRecords) throw tooManyRecords(count, limits.maxRecords, parts.shp);
      let properties: Record<string, unknown> = {};
      if (rows && dbf) {
        const next = await rows.next();
        if (next.done) throw countMismatch(`The .shp holds more shapes than the ${dbf.count} records of the .dbf.`, rec.row, parts.dbf);
        if (next.value.deleted) audit.deleted++;
        const { record } = next.value;
        for (let i = 0; i < fields.length; i++) {
          const value = decodeCell(record, fields[i], decoder);
          values[i] = value;
          if (typeof value === 'string') audit.note(names[i], value);
        }
        properties = makeProperties(values);
      }
      const geometry = rec.geometry && crs.transform ? mapPositions(rec.geometry, crs.transform) : rec.geometry;
      yield { row: rec.row, geometry, properties };
    }
    if (rows && dbf && !(await rows.next()).done) {
      throw countMismatch(`The .dbf holds ${dbf.count} records but the .shp only ${count} shapes.`, count + 1, parts.dbf);
    }
    audit.report(count, parts.dbf ?? parts.shp, warnings);
  } finally {
    await rows?.return(undefined);
    await Promise.all([shp.close(), table?.close()]);
  }
}

function countMismatch(message: string, row: number, file: string | undefined): ImportError {
  return new ImportError('IMPORT_COUNT_MISMATCH', message, { row, file });
}
