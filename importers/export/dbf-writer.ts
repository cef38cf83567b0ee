import type { Column } from './survey.js';
import { unique } from './survey.js';
import type { TextEncoding } from './text-encoding.js';

/**
 * dBASE III tables for shapefiles (the layout importers/dbf.ts reads):
 *
 *   header 32 bytes: 0x03 · YY MM DD · count u32 · header bytes u16 · record bytes u16 · … · LDID @29
 *   field descriptors, 32 bytes each: name[11] (NUL-padded) · type · … · length @16 · decimals @17
 *   0x0D · records: ' ' then the fixed-width fields · 0x1A
 *
 * Field names are cut to 10 bytes of the table's encoding (and made unique); text fields are as wide as
 * their longest value in those bytes (at most 254, longer values are cut at a character boundary and
 * counted); numbers are N with as many decimals as the values need; dates are D (YYYYMMDD).
 */
export interface DbfColumn {
  column: Column;
  name: Buffer;
  type: 'C' | 'N' | 'D';
  length: number;
  decimals: number;
}

export interface DbfTally {
  /** Text values cut to 254 bytes, and characters the encoding could not hold, per field. */
  cut: Map<string, number>;
  lost: Map<string, number>;
}

const MAX_TEXT = 254;
const MAX_NUMBER = 20;

/** The longest prefix of `s` whose encoding fits in `max` bytes (never cut inside a character). */
function fitted(s: string, max: number, enc: TextEncoding): string {
  let chars = [...s];
  let bytes = enc.encode(s).length;
  while (bytes > max) {
    chars = chars.slice(0, Math.max(0, chars.length - Math.ceil((bytes - max) / 4)));
    bytes = enc.encode(chars.join('')).length;
  }
  return chars.join('');
}

export function dbfColumns(columns: readonly Column[], enc: TextEncoding): DbfColumn[] {
  const taken = new Set<string>();
  return columns.map((column) => {
    const name = unique(column.name, taken, (c, suffix) => fitted(c, 10 - suffix.length, enc) + suffix);
    const nameBytes = enc.encode(name);
    if (column.kind === 'date') return { column, name: nameBytes, type: 'D', length: 8, decimals: 0 };
    const numberWidth = column.intDigits + (column.decimals > 0 ? column.decimals + 1 : 0);
    if (column.kind === 'number' && numberWidth <= MAX_NUMBER) {
      return { column, name: nameBytes, type: 'N', length: numberWidth, decimals: column.decimals };
    }
    return { column, name: nameBytes, type: 'C', length: Math.min(MAX_TEXT, Math.max(1, column.maxBytes)), decimals: 0 };
  });
}

export function recordBytes(cols: readonly DbfColumn[]): number {
  return 1 + cols.reduce((n, c) => n + c.length, 0);
}

export function dbfHeader(cols: readonly DbfColumn[], count: number, enc: TextEncoding, today = new Date()): Buffer {
  const headerBytes = 32 + 32 * cols.length + 1;
  const buf = Buffer.alloc(headerBytes);
  buf[0] = 0x03;
  buf[1] = today.getUTCFullYear() - 1900;
  buf[2] = today.getUTCMonth() + 1;
  buf[3] = today.getUTCDate();
  buf.writeUInt32LE(count, 4);
  buf.writeUInt16LE(headerBytes, 8);
  buf.writeUInt16LE(recordBytes(cols), 10);
  buf[29] = enc.ldid;
  cols.forEach((c, i) => {
    const at = 32 + 32 * i;
    c.name.copy(buf, at, 0, 10);
    buf[at + 11] = c.type.charCodeAt(0);
    buf[at + 16] = c.length;
    buf[at + 17] = c.decimals;
  });
  buf[headerBytes - 1] = 0x0d;
  return buf;
}

/** Writes one record into `out` at `offset` (the caller sized it with recordBytes). */
export function writeDbfRecord(cols: readonly DbfColumn[], values: ReadonlyArray<string | number | null>, enc: TextEncoding,
  out: Buffer, offset: number, tally: DbfTally): void {
  out.fill(0x20, offset, offset + recordBytes(cols));
  let at = offset + 1;
  cols.forEach((c, i) => {
    const v = values[i];
    if (v !== null) {
      if (c.type === 'N') out.write(Number(v).toFixed(c.decimals).padStart(c.length), at, 'latin1');
      else if (c.type === 'D') out.write(String(v).replace(/-/g, '').slice(0, 8), at, 'latin1');
      else text(c, String(v), enc, tally).copy(out, at);
    }
    at += c.length;
  });
}

function text(c: DbfColumn, s: string, enc: TextEncoding, tally: DbfTally): Buffer {
  const full = enc.encode(s);
  const lost = enc.lost(s, full);
  if (lost > 0) tally.lost.set(c.column.name, (tally.lost.get(c.column.name) ?? 0) + 1);
  if (full.length <= c.length) return full;
  tally.cut.set(c.column.name, (tally.cut.get(c.column.name) ?? 0) + 1);
  return enc.encode(fitted(s, c.length, enc));
}
