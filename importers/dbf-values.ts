import type { DbfField } from './dbf.js';
import type { Decoder } from './decoders.js';

/**
 * Cell bytes → plain values. Blank cells are null in every type (dBASE has no other null).
 * - C: text in the table's encoding, trailing spaces and NULs removed;
 * - N/F: numbers; integers beyond 2^53 stay digit strings, because 16–17 digit component ids
 *   (部件标识码) are often stored as N(16,0) and a double would silently change their last digits;
 * - D: YYYYMMDD → "YYYY-MM-DD" (no Date objects: time zones must not shift a date);
 * - L: T/Y → true, F/N → false, ? → null;
 * - Visual FoxPro binaries: I (int32), + (autoincrement), O (double), Y (currency), T/@ (date-time).
 * Anything unreadable comes back as its trimmed text, for validation to report; nothing throws.
 */
export function decodeCell(record: Buffer, field: DbfField, decoder: Decoder): unknown {
  const start = field.offset;
  const end = start + field.length;
  // Most census cells are blank: say so before making any string.
  if (field.type !== 'I' && field.type !== '+' && field.type !== 'O' && field.type !== 'Y' && field.type !== 'T' && field.type !== '@' && blank(record, start, end)) return null;
  switch (field.type) {
    case 'N':
    case 'F': return number(ascii(record, start, end));
    case 'D': return date(ascii(record, start, end));
    case 'L': return logical(ascii(record, start, end));
    case 'I':
    case '+': return field.length === 4 ? record.readInt32LE(start) : null;
    case 'O': return field.length === 8 ? record.readDoubleLE(start) : null;
    case 'Y': return field.length === 8 ? Number(record.readBigInt64LE(start)) / 10000 : null;
    case 'T':
    case '@': return field.length === 8 ? dateTime(record, start) : null;
    default: return text(record, start, end, decoder);
  }
}

/** Only spaces and NULs between start and end. */
function blank(record: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (record[i] !== 0x20 && record[i] !== 0x00) return false;
  return true;
}

function ascii(record: Buffer, start: number, end: number): string {
  const s = record.toString('latin1', start, end);
  return (s.includes('\0') ? s.replace(/\0/g, ' ') : s).trim();
}

/**
 * Text in the table's encoding, trailing spaces and NULs removed. Printable ASCII reads the same in
 * every encoding a .dbf uses (GBK, GB18030, UTF-8, Big5, the Windows code pages), so such cells skip
 * the decoder: most codes, dates-as-text and numbers are ASCII.
 */
function text(record: Buffer, start: number, stop: number, decoder: Decoder): string | null {
  let end = stop;
  while (end > start && (record[end - 1] === 0x20 || record[end - 1] === 0x00)) end--;
  if (end === start) return null;
  let printable = decoder.asciiCompatible === true;
  for (let i = start; printable && i < end; i++) if (record[i] < 0x20 || record[i] > 0x7e) printable = false;
  return printable ? record.toString('latin1', start, end) : decoder.decode(record.subarray(start, end));
}

function number(s: string): number | string | null {
  if (s === '' || /^[*?.-]*$/.test(s)) return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return s;
  const n = Number(s);
  if (/^[-+]?\d+$/.test(s) && !Number.isSafeInteger(n)) return s.replace(/^\+/, '');
  return n;
}

function date(s: string): string | null {
  if (s === '' || /^0+$/.test(s)) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return s;
  const [, y, mo, d] = m;
  const ok = Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31;
  return ok ? `${y}-${mo}-${d}` : s;
}

function logical(s: string): boolean | null {
  if (/^[TtYy]$/.test(s)) return true;
  if (/^[FfNn]$/.test(s)) return false;
  return null;
}

/** Julian day number (int32) + milliseconds since midnight (int32) → ISO date-time, UTC. */
function dateTime(record: Buffer, start: number): string | null {
  const day = record.readInt32LE(start);
  if (day === 0) return null;
  const ms = (day - 2440588) * 86400000 + record.readInt32LE(start + 4);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
