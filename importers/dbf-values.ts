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
export function decodeCell(cell: Buffer, field: DbfField, decoder: Decoder): unknown {
  switch (field.type) {
    case 'C': return text(cell, decoder);
    case 'N':
    case 'F': return number(ascii(cell));
    case 'D': return date(ascii(cell));
    case 'L': return logical(ascii(cell));
    case 'I':
    case '+': return cell.length === 4 ? cell.readInt32LE(0) : null;
    case 'O': return cell.length === 8 ? cell.readDoubleLE(0) : null;
    case 'Y': return cell.length === 8 ? Number(cell.readBigInt64LE(0)) / 10000 : null;
    case 'T':
    case '@': return dateTime(cell);
    default: return text(cell, decoder);
  }
}

function ascii(cell: Buffer): string {
  return cell.toString('latin1').replace(/\0/g, ' ').trim();
}

function text(cell: Buffer, decoder: Decoder): string | null {
  let end = cell.length;
  while (end > 0 && (cell[end - 1] === 0x20 || cell[end - 1] === 0x00)) end--;
  return end === 0 ? null : decoder.decode(cell.subarray(0, end));
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
function dateTime(cell: Buffer): string | null {
  if (cell.length !== 8) return null;
  const day = cell.readInt32LE(0);
  if (day === 0) return null;
  const ms = (day - 2440588) * 86400000 + cell.readInt32LE(4);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
