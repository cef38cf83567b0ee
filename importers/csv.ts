import { parse, type Info } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import path from 'node:path';
import { isGeographic, parseCrsSpec } from '../src/crs/index.js';
import type { Geometry, PointGeometry } from '../src/domain/types.js';
import { decoderFor } from './decoders.js';
import { coordinate, findGeometryColumns, type GeometryColumns } from './csv-columns.js';
import { firstWktPosition, parseWktCell } from './csv-wkt.js';
import { chooseEncoding, type EncodingChoice } from './encoding.js';
import { ImportError, show, type ImportWarning } from './errors.js';
import { mapPositions } from './geometry.js';
import { tooManyRecords, type ReadLimits } from './limits.js';
import { resolveCrs, type ResolvedCrs } from './source-crs.js';
import { fileStreams, headLines, iterateStreams, readHead, utf8From } from './text-stream.js';
import type { RawRecord, ReadOptions, Source } from './types.js';

/**
 * CSV layers: points from coordinate columns (components, addresses, trees…), or any geometry from a WKT
 * column (grids, roads — what GDAL and `wanmi export` write). The head of the file (256 KiB) decides the
 * encoding (option, BOM, scoring), the delimiter, the header and the geometry columns; the records then
 * stream through csv-parse, one row in memory at a time.
 */
const HEAD = 256 * 1024;
const DELIMITERS = [',', '\t', ';', '|'];

interface Layout {
  file: string;
  encoding: string;
  delimiter: string;
  header: string[];
  columns: GeometryColumns;
  crs: ResolvedCrs;
  limits: ReadLimits;
}

function bomHint(head: Buffer): EncodingChoice | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', source: 'bom' };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', source: 'bom' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', source: 'bom' };
  return null;
}

/** The delimiter occurring most often, outside quotes, in the header line. */
function sniffDelimiter(line: string): string {
  const bare = line.replace(/"[^"]*"/g, '');
  const counts = DELIMITERS.map((d) => bare.split(d).length - 1);
  return DELIMITERS[counts.indexOf(Math.max(...counts))];
}

/** Header names, trimmed and made unique. */
function headerNames(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((r, i) => {
    const base = r.trim() || `column${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

/** Header and the first rows of the head text; a quoted field cut by the head's end is not an error here. */
function parseHead(text: string, delimiter: string): string[][] {
  try {
    return parseSync(text, { delimiter, relax_column_count: true, skip_empty_lines: true, relax_quotes: true });
  } catch {
    return parseSync(text.split(/\r?\n/)[0] ?? '', { delimiter, relax_quotes: true });
  }
}

function csvCrs(text: string, rows: string[][], columns: GeometryColumns, options: ReadOptions, file: string, warnings: ImportWarning[]) {
  const position = (r: string[]) => (columns.kind === 'wkt' ? firstWktPosition(r[columns.wkt]) : [coordinate(r[columns.x]), coordinate(r[columns.y])]);
  const points = rows.slice(1, 1001).map(position).filter(([x, y]) => !Number.isNaN(x + y));
  // One district polygon's WKT can outgrow the head: then its first vertex is the evidence.
  if (points.length === 0 && columns.kind === 'wkt') points.push(firstWktPosition(text.slice(text.indexOf('\n') + 1)));
  // Degree-named columns (经度/纬度, lon/lat) are trusted unless a value contradicts them; X/Y need evidence.
  const inRange = points.every(([x, y]) => Math.abs(x) <= 180 && Math.abs(y) <= 90);
  const ok = inRange && (columns.kind === 'lonlat' || points.length > 0);
  const [x, y] = points[0] ?? [NaN, NaN];
  const why = points.length === 0 ? 'the first rows have no coordinates' : `the first rows hold values like ${x}, ${y}`;
  return resolveCrs({ option: options.crs, looksLonLat: { ok, why }, file }, warnings);
}

/** Whether the crs option names a projected CRS (an unknown one is reported later, by resolveCrs). */
function projectedOption(options: ReadOptions): boolean {
  try {
    const spec = typeof options.crs === 'string' ? parseCrsSpec(options.crs) : options.crs;
    return spec ? !isGeographic(spec) : false;
  } catch {
    return false;
  }
}

export async function openCsv(file: string, options: ReadOptions, limits: ReadLimits): Promise<Omit<Source, 'container' | 'mapping' | 'close'>> {
  const warnings: ImportWarning[] = [];
  const head = await readHead(file, HEAD);
  const complete = head.length < HEAD;
  const enc = await chooseEncoding({ option: options.encoding, hint: bomHint(head), samples: async () => headLines(head, complete), file }, warnings);
  const text = decoderFor(enc.encoding).decode(complete ? head : head.subarray(0, head.lastIndexOf(0x0a) + 1));
  const delimiter = options.csv?.delimiter ?? sniffDelimiter(text.split(/\r?\n/)[0] ?? '');
  const rows = parseHead(text, delimiter);
  const header = headerNames(rows[0] ?? []);
  const columns = findGeometryColumns(header, options.csv, projectedOption(options));
  if (!columns) {
    const message = `No coordinate columns (lon/lat, x/y) or WKT column found among ${show(header.join(', '), 300)}; name them with the csv.x and csv.y options.`;
    throw new ImportError('IMPORT_CSV_NO_COORDINATES', message, { file });
  }
  const crs = csvCrs(text, rows, columns, options, file, warnings);
  const layout: Layout = { file, encoding: enc.encoding, delimiter, header, columns, crs, limits };
  return {
    format: 'csv',
    layer: path.basename(file).replace(/\.csv(\.gz)?$/i, ''),
    encoding: enc.encoding,
    encodingSource: enc.source,
    crs: crs.info,
    fields: header.filter((_, i) => !isGeometryColumn(columns, i)).map((name) => ({ name, type: 'string' as const })),
    warnings,
    records: { [Symbol.asyncIterator]: () => readCsvRecords(layout) },
  };
}

function isGeometryColumn(columns: GeometryColumns, i: number): boolean {
  return columns.kind === 'wkt' ? i === columns.wkt : i === columns.x || i === columns.y;
}

function toRecord(layout: Layout, row: number, cells: string[]): RawRecord {
  const { header, columns, crs } = layout;
  const properties: Record<string, unknown> = {};
  header.forEach((name, i) => {
    if (!isGeometryColumn(columns, i)) properties[name] = cells[i] === '' ? null : cells[i];
  });
  if (columns.kind === 'wkt') return { row, geometry: wktGeometry(layout, row, cells[columns.wkt]), properties };
  const x = coordinate(cells[columns.x]);
  const y = coordinate(cells[columns.y]);
  if (Number.isNaN(x + y)) return { row, geometry: null, properties };
  const geometry: PointGeometry = { type: 'Point', coordinates: crs.transform ? crs.transform(x, y) : [x, y] };
  return { row, geometry, properties };
}

function wktGeometry(layout: Layout, row: number, cell: string | undefined): Geometry | null {
  const g = parseWktCell(cell, row, layout.header[(layout.columns as { wkt: number }).wkt], layout.file);
  const transform = layout.crs.transform;
  return g && transform ? mapPositions(g, transform) : g;
}

/** csv-parse's own errors carry a CSV_* code and the line; they become IMPORT_BAD_CSV. */
function asCsvError(err: unknown, file: string): unknown {
  const e = err as { code?: unknown; lines?: unknown; message?: unknown };
  if (err instanceof ImportError || typeof e.code !== 'string' || !e.code.startsWith('CSV_')) return err;
  return new ImportError('IMPORT_BAD_CSV', `The CSV is malformed near line ${String(e.lines)}: ${String(e.message)}`, { file }, { cause: err });
}

async function* readCsvRecords(layout: Layout): AsyncGenerator<RawRecord> {
  const { file, header, limits } = layout;
  const parser = parse({ delimiter: layout.delimiter, relax_column_count: true, skip_empty_lines: true, info: true });
  const streams = [...fileStreams(file), utf8From(layout.encoding), parser] as Parameters<typeof iterateStreams>[0];
  let row = 0;
  try {
    for await (const { record, info } of iterateStreams<{ record: string[]; info: Info }>(streams)) {
      if (info.records === 1) continue;
      if (++row > limits.maxRecords) throw tooManyRecords(row, limits.maxRecords, file);
      if (record.length !== header.length) {
        const message = `Row ${row} (line ${info.lines}) has ${record.length} fields but the header has ${header.length}: `
          + 'an unquoted delimiter or a missing value has shifted the columns.';
        throw new ImportError('IMPORT_CSV_SHIFTED', message, { row, file });
      }
      yield toRecord(layout, row, record);
    }
  } catch (err) {
    throw asCsvError(err, file);
  }
}
