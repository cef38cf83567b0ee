import type { Conversion } from './field-aliases.js';

/**
 * Attribute values as delivered (strings, numbers, dBASE dates already as "YYYY-MM-DD") → the form the
 * row types want. Each returns { value } or { problem } — a value that cannot be read is reported, and
 * the raw value kept where the row has room for it, never silently replaced.
 */
export type Converted = { value: unknown } | { problem: 'MAP_BAD_DATE' | 'MAP_BAD_NUMBER'; raw: unknown };

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : String(v);
}

/** Codes as strings: numeric cells (ADCODE as N(6,0), PAC as a Real) lose their ".0", never digits. */
function code(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  return text(v);
}

const DATE_FORMS: RegExp[] = [
  /^(\d{4})(\d{2})(\d{2})$/, // 20230115 (dBASE D, often also stored as text or number)
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/, // 2023-01-15, 2023/1/15, 2023.01.15, with a time
  /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/, // 2023年1月15日
];

/** A calendar date in ISO form, or null when it is not one (month 13, 30 February…). */
export function isoDate(v: unknown): string | null {
  const s = code(v);
  for (const form of DATE_FORMS) {
    const m = form.exec(s);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    const ok = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
    return ok ? `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` : null;
  }
  return null;
}

export function convert(v: unknown, conversion: Conversion): Converted {
  if (blank(v)) return { value: null };
  switch (conversion) {
    case 'text': return { value: text(v) };
    case 'code': return { value: code(v) };
    case 'date': {
      const iso = isoDate(v);
      return iso ? { value: iso } : { problem: 'MAP_BAD_DATE', raw: v };
    }
    case 'number': {
      const n = typeof v === 'number' ? v : Number(text(v).replace(/,/g, ''));
      return Number.isFinite(n) ? { value: n } : { problem: 'MAP_BAD_NUMBER', raw: v };
    }
    case 'list': return { value: text(v).split(/[,，;；、\s]+/).filter(Boolean) };
  }
}
