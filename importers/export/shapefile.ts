import { writeFile } from 'node:fs/promises';
import type { Geometry } from '../../src/domain/types.js';
import { ImportRunError } from '../import-errors.js';
import { BufferedFile } from './buffered-file.js';
import { dbfColumns, dbfHeader, recordBytes, writeDbfRecord, type DbfColumn, type DbfTally } from './dbf-writer.js';
import { CGCS2000_PRJ } from './prj.js';
import { familyOf, type Family } from './schema.js';
import type { Box } from '../geometry.js';
import { SHAPE_TYPES, shapeContent, shpHeader } from './shp-records.js';
import { surveyLayer, type Column } from './survey.js';
import { textEncoding, type TextEncoding } from './text-encoding.js';
import type { ExportResult, WriterInput } from './types.js';

/**
 * A layer as ESRI shapefiles written by hand (.shp/.shx/.dbf/.prj/.cpg): @mapbox/shp-write mangles Chinese
 * text and pads every text field to 254 bytes.
 *
 *   1. survey the layer: columns, widths in bytes of the encoding, geometry families;
 *   2. one shapefile per family present (a shapefile holds one shape type): `out.shp`, or `out_point.shp`,
 *      `out_line.shp`, `out_polygon.shp` for a mixed components layer;
 *   3. stream the features into .shp/.shx/.dbf, then patch the headers (lengths, extent, counts);
 *   4. .prj (CGCS2000, or the caller's) and .cpg naming the encoding, plus the dBASE language byte.
 *
 * GBK is the default: ArcGIS, SuperMap and MapGIS on Chinese Windows read .dbf text as code page 936 and
 * many ignore .cpg; UTF-8 is for GDAL/QGIS pipelines and characters GBK lacks.
 */
export interface ShapefileOptions {
  /** gbk (default) or utf-8. */
  encoding?: string;
  /** .prj text; CGCS2000 lon/lat by default (the bench writes projected coordinates). */
  prj?: string;
}

const ORDER: Family[] = ['point', 'multipoint', 'line', 'polygon'];

export async function writeShapefile(out: string, input: WriterInput, options: ShapefileOptions = {}): Promise<ExportResult> {
  const enc = textEncoding(options.encoding, 'gbk');
  const survey = await surveyLayer(input.features(), input.layer, (s) => enc.encode(s).length);
  const cols = dbfColumns(survey.columns, enc);
  const present = ORDER.filter((f) => survey.families.has(f));
  const families = present.length > 0 ? present : [input.emptyFamily];
  const base = out.replace(/\.shp$/i, '');
  const writers = new Map<Family, FamilyWriter>();
  for (const f of families) writers.set(f, await FamilyWriter.create(families.length > 1 ? `${base}_${f}` : base, f, cols, enc));
  const tally: DbfTally = { cut: new Map(), lost: new Map() };
  let count = 0;
  try {
    for await (const feature of input.features()) {
      const writer = writers.get(familyOf(feature.geometry));
      // The layer grew a family between the passes (a concurrent import): say so rather than drop it.
      if (!writer) throw new ImportRunError('IMPORT_SOURCE_CHANGED', `The layer changed during the export (a ${familyOf(feature.geometry)} appeared); export again.`);
      await writer.add(feature.geometry, survey.columns.map((c) => c.value(feature)), tally);
      count++;
    }
  } finally {
    for (const w of writers.values()) await w.close();
  }
  const files: string[] = [];
  for (const w of writers.values()) {
    await writeFile(`${w.base}.prj`, options.prj ?? CGCS2000_PRJ);
    await writeFile(`${w.base}.cpg`, enc.cpg);
    files.push(...['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => `${w.base}.${e}`));
  }
  return { files, count, warnings: warnings(survey.columns, cols, tally, enc) };
}

function warnings(columns: readonly Column[], cols: readonly DbfColumn[], tally: DbfTally, enc: TextEncoding): string[] {
  const out: string[] = [];
  const decoder = new TextDecoder(enc.name);
  cols.forEach((c, i) => {
    const name = decoder.decode(c.name);
    if (name !== columns[i].name) out.push(`field ${columns[i].name} is named ${name} (dBASE names hold 10 bytes)`);
    if (c.type === 'C' && columns[i].kind === 'number') out.push(`field ${columns[i].name} is written as text: its numbers need more than 20 digits`);
  });
  for (const [field, n] of tally.cut) out.push(`${n} values of ${field} were cut to 254 bytes (the dBASE limit)`);
  for (const [field, n] of tally.lost) out.push(`${n} values of ${field} hold characters ${enc.cpg} lacks (written as "?"); export with --encoding utf-8 to keep them`);
  return out;
}

/** The .shp/.shx/.dbf of one geometry family, streamed; headers patched on close. */
class FamilyWriter {
  private count = 0;
  private readonly box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  private readonly record: Buffer;

  private constructor(readonly base: string, private readonly shapeType: number, private readonly cols: readonly DbfColumn[],
    private readonly enc: TextEncoding, private readonly shp: BufferedFile, private readonly shx: BufferedFile, private readonly dbf: BufferedFile) {
    this.record = Buffer.alloc(recordBytes(cols));
  }

  static async create(base: string, family: Family, cols: readonly DbfColumn[], enc: TextEncoding): Promise<FamilyWriter> {
    const headerBytes = 32 + 32 * cols.length + 1;
    const [shp, shx, dbf] = await Promise.all([
      BufferedFile.create(`${base}.shp`, 100), BufferedFile.create(`${base}.shx`, 100), BufferedFile.create(`${base}.dbf`, headerBytes),
    ]);
    return new FamilyWriter(base, SHAPE_TYPES[family], cols, enc, shp, shx, dbf);
  }

  async add(g: Geometry, values: ReadonlyArray<string | number | null>, tally: DbfTally): Promise<void> {
    const { content, box } = shapeContent(g);
    const head = Buffer.allocUnsafe(8);
    head.writeInt32BE(++this.count, 0);
    head.writeInt32BE(content.length / 2, 4);
    const index = Buffer.allocUnsafe(8);
    index.writeInt32BE(this.shp.length / 2, 0);
    index.writeInt32BE(content.length / 2, 4);
    await this.shp.write(head);
    await this.shp.write(content);
    await this.shx.write(index);
    for (let i = 0; i < 4; i++) this.box[i] = i < 2 ? Math.min(this.box[i], box[i]) : Math.max(this.box[i], box[i]);
    writeDbfRecord(this.cols, values, this.enc, this.record, 0, tally);
    await this.dbf.write(Buffer.from(this.record));
  }

  async close(): Promise<void> {
    await this.dbf.write(Buffer.from([0x1a]));
    await this.shp.patch(0, shpHeader(this.shapeType, this.shp.length, this.box));
    await this.shx.patch(0, shpHeader(this.shapeType, this.shx.length, this.box));
    await this.dbf.patch(0, dbfHeader(this.cols, this.count, this.enc));
    await Promise.all([this.shp.close(), this.shx.close(), this.dbf.close()]);
  }
}
