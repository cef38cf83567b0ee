import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PointGeometry } from '../../src/domain/types.js';
import { ImportRunError } from '../import-errors.js';
import { surveyLayer, type Column } from './survey.js';
import type { ExportResult, WriterInput } from './types.js';
import { toWkt } from './wkt.js';

/**
 * A layer as CSV for spreadsheets: UTF-8 with a BOM (without one, Excel on Chinese Windows reads the
 * file as GBK and garbles every name), CRLF line ends, RFC 4180 quoting.
 *
 * Geometry: a layer whose features are all points gets `lon`,`lat` columns (CGCS2000 degrees) — the
 * form Wanmi's CSV importer and GDAL (`-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat`) read back.
 * Any other layer gets one `WKT` column, which GDAL's CSV driver takes as the geometry by itself; Wanmi's
 * importer reads only coordinate columns, so such a CSV is for people and GDAL, not for re-import.
 * CSV has no place for a CRS: the columns are CGCS2000 (EPSG:4490) by this convention.
 */
const BOM = '\uFEFF';

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function* lines(input: WriterInput, columns: readonly Column[], points: boolean, counter: { n: number }): AsyncGenerator<string> {
  const header = [...columns.map((c) => c.name), ...(points ? ['lon', 'lat'] : ['WKT'])];
  yield `${BOM}${header.map(cell).join(',')}\r\n`;
  let batch = '';
  for await (const f of input.features()) {
    const values = columns.map((c) => cell(c.value(f)));
    if (points && f.geometry.type !== 'Point') throw new ImportRunError('IMPORT_SOURCE_CHANGED', 'The layer changed during the export (a feature is no longer a point); export again.');
    if (points) values.push(...(f.geometry as PointGeometry).coordinates.map(String));
    else values.push(cell(toWkt(f.geometry)));
    batch += `${values.join(',')}\r\n`;
    if (++counter.n % 1000 === 0) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

export async function writeCsv(out: string, input: WriterInput): Promise<ExportResult> {
  const survey = await surveyLayer(input.features(), input.layer);
  const points = survey.count > 0 ? [...survey.families.keys()].every((f) => f === 'point') : input.emptyFamily === 'point';
  const counter = { n: 0 };
  await pipeline(Readable.from(lines(input, survey.columns, points, counter)), createWriteStream(out));
  return { files: [out], count: counter.n, warnings: [] };
}
