import { SequentialReader, type FileBytes } from './byte-reader.js';
import type { Decoder } from './decoders.js';
import { ImportError } from './errors.js';
import { shortFileError } from './limits.js';
import type { SourceField } from './types.js';

/**
 * dBASE (.dbf) attribute tables as shapefiles use them (dBASE III/IV, FoxPro and Visual FoxPro headers):
 *
 *   0 version · 4 record count (u32) · 8 header bytes (u16) · 10 record bytes (u16) · 29 language driver
 *   32… field descriptors, 32 bytes each: name[11] type[1] … length[1]@16 decimals[1]@17; 0x0D ends them
 *   then records: a deletion flag (' ' or '*') followed by the fixed-width fields
 */
export interface DbfField {
  /** Name bytes up to the first NUL, decoded later with the table's encoding. */
  rawName: Uint8Array;
  type: string;
  offset: number;
  length: number;
  decimals: number;
}

export interface DbfHeader {
  count: number;
  headerBytes: number;
  recordBytes: number;
  ldid: number;
  fields: DbfField[];
}

const bad = (message: string, file: string) => new ImportError('IMPORT_BAD_DBF', message, { file });

/**
 * Read and check the header: 1. at least 32 bytes; 2. descriptors up to 0x0D within the declared header;
 * 3. fields fit in the record length; 4. the declared records fit in the file (shortFileError tells a
 * truncated file from a corrupt count). Returns the fields with their byte offsets in a record.
 */
export async function readDbfHeader(file: FileBytes): Promise<DbfHeader> {
  if (file.size < 32) throw new ImportError('IMPORT_TRUNCATED', `The .dbf file is ${file.size} bytes; its header alone needs 32.`, { file: file.path });
  const head = await file.readAt(0, 32);
  const count = head.readUInt32LE(4);
  const headerBytes = head.readUInt16LE(8);
  const recordBytes = head.readUInt16LE(10);
  if (headerBytes < 33 || recordBytes < 1) throw bad(`The .dbf header declares ${headerBytes} header bytes and ${recordBytes}-byte records.`, file.path);
  if (headerBytes > file.size) throw new ImportError('IMPORT_TRUNCATED', 'The .dbf file ends inside its header.', { file: file.path });
  const fields = parseFields(await file.readAt(32, headerBytes - 32), file.path);
  const used = fields.reduce((end, f) => Math.max(end, f.offset + f.length), 1);
  if (used > recordBytes) throw bad(`The .dbf fields need ${used} bytes per record but records are ${recordBytes}.`, file.path);
  const declared = headerBytes + count * recordBytes;
  if (declared > file.size) throw shortFileError(declared, file.size, '.dbf', file.path);
  return { count, headerBytes, recordBytes, ldid: head[29], fields };
}

function parseFields(buf: Buffer, file: string): DbfField[] {
  const fields: DbfField[] = [];
  let offset = 1;
  for (let p = 0; ; p += 32) {
    if (p >= buf.length) throw bad('The .dbf field list has no 0x0D terminator.', file);
    if (buf[p] === 0x0d) return fields;
    if (p + 32 > buf.length) throw bad('The .dbf field list is cut off.', file);
    const nul = buf.subarray(p, p + 11).indexOf(0);
    const rawName = Uint8Array.from(buf.subarray(p, p + (nul < 0 ? 11 : nul)));
    const type = String.fromCharCode(buf[p + 11]).toUpperCase();
    const length = buf[p + 16];
    fields.push({ rawName, type, offset, length, decimals: buf[p + 17] });
    offset += length;
  }
}

/** Field names decoded and made unique (truncated 10-character names can collide: NAME, NAME_2). */
export function fieldNames(fields: DbfField[], decoder: Decoder): string[] {
  const seen = new Map<string, number>();
  return fields.map((f) => {
    const base = decoder.decode(f.rawName).trim() || 'FIELD';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

const TYPES: Record<string, SourceField['type']> = {
  C: 'string', N: 'number', F: 'number', I: 'number', O: 'number', Y: 'number', '+': 'number',
  D: 'date', T: 'date', '@': 'date', L: 'boolean',
};

export function sourceFields(fields: DbfField[], names: string[]): SourceField[] {
  return fields.map((f, i) => ({ name: names[i], type: TYPES[f.type] ?? 'unknown', length: f.length, decimals: f.decimals }));
}

export interface DbfRow {
  deleted: boolean;
  /** The whole record (deletion flag first); a field's bytes are at `offset`, `length` bytes long. */
  record: Buffer;
}

/**
 * Records in order, raw; cells are decoded by dbf-values.ts straight from the record (no slice per
 * cell). A record cut short by the end of the file is IMPORT_TRUNCATED (readDbfHeader already checked
 * the declared total, so this is a file changing under us). The 0x1A end-of-file byte is never read as
 * a record: we stop at the declared count.
 */
export async function* readDbfRows(file: FileBytes, header: DbfHeader): AsyncGenerator<DbfRow> {
  const reader = new SequentialReader(file, header.headerBytes);
  for (let row = 1; row <= header.count; row++) {
    const rec = await reader.take(header.recordBytes);
    if (rec.length < header.recordBytes) {
      throw new ImportError('IMPORT_TRUNCATED', `The .dbf file ends inside record ${row}.`, { row, file: file.path });
    }
    yield { deleted: rec[0] === 0x2a, record: rec };
  }
}

/**
 * Text cells of the first records, for encoding detection: field names plus character fields, read until
 * `maxBytes` of records have been seen.
 */
export async function sampleText(file: FileBytes, header: DbfHeader, maxBytes = 1 << 20): Promise<Uint8Array[]> {
  const samples: Uint8Array[] = header.fields.map((f) => f.rawName);
  const textFields = header.fields.map((f, i) => (f.type === 'C' ? i : -1)).filter((i) => i >= 0);
  const limit = Math.max(1, Math.floor(maxBytes / header.recordBytes));
  let n = 0;
  for await (const row of readDbfRows(file, header)) {
    for (const i of textFields) samples.push(row.record.subarray(header.fields[i].offset, header.fields[i].offset + header.fields[i].length));
    if (++n >= limit) break;
  }
  return samples;
}
