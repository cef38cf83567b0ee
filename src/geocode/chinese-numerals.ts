/**
 * Chinese numerals as they appear in house numbers: 一百零八 (108), 十二 (12), 两千 (2000), and the
 * digit-by-digit form 一〇八 (108). Only what addresses use: up to 万.
 */
const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };

/** Characters a Chinese numeral is made of (for building regular expressions). */
export const NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万';

/** The value of a Chinese numeral, or null when the text is not one. */
export function parseChineseNumeral(text: string): number | null {
  if (text.length === 0) return null;
  if (![...text].some((c) => c in UNITS)) return positional(text);
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const c of text) {
    if (c in DIGITS) {
      digit = DIGITS[c];
    } else if (c === '万') {
      total = (total + section + (digit ?? 0)) * 10000;
      section = 0;
      digit = null;
    } else if (c in UNITS) {
      // A leading 十 means 1×10 (十二 = 12).
      section += (digit ?? 1) * UNITS[c];
      digit = null;
    } else {
      return null;
    }
  }
  return total + section + (digit ?? 0);
}

/** 一〇八 → 108: digits written one by one, as on many plates. */
function positional(text: string): number | null {
  let n = 0;
  for (const c of text) {
    if (!(c in DIGITS)) return null;
    n = n * 10 + DIGITS[c];
  }
  return n;
}
