import { Converter } from 'opencc-js/t2cn';
import { NUMERAL_CHARS, parseChineseNumeral } from './chinese-numerals.js';

/**
 * Stage 1 of the geocoding pipeline: make the text people type comparable with the names in the data.
 *
 *   NFKC (full-width digits and letters → ASCII) → traditional → simplified (OpenCC, Hong Kong and
 *   Taiwan variants) → Chinese numerals before a plate word (一百零八号 → 108号) → aliases (# → 号,
 *   之 between numbers → -) → spaces and punctuation out.
 *
 * The result keeps only what can carry address meaning, so SQL, HTML or emoji fragments shrink to the
 * Chinese and digits in them (often nothing), and nothing here grows with unusual input.
 */
// 'hk' covers Hong Kong variants on top of the generic traditional table (號, 運, 臺 …).
const toSimplified: (text: string) => string = Converter({ from: 'hk', to: 'cn' });

/** Words after which a number is a plate, building, unit, floor or room number. */
const PLATE_WORDS = '号|号楼|栋|幢|座|单元|层|楼|室|户';
const NUMERAL_BEFORE_PLATE = new RegExp(`([${NUMERAL_CHARS}]+)(?=${PLATE_WORDS})`, 'g');

export interface NormalisedText {
  /** The cleaned text the parser reads. */
  text: string;
  /** True when the input held traditional characters (reported back in the query echo). */
  hadTraditional: boolean;
}

export function normaliseAddress(input: string): NormalisedText {
  const nfkc = input.normalize('NFKC');
  const simplified = toSimplified(nfkc);
  let text = simplified
    .replace(NUMERAL_BEFORE_PLATE, (m) => String(parseChineseNumeral(m) ?? m))
    .replace(/(\d)\s*#/g, '$1号')
    .replace(/(\d)\s*[之—–－~～]\s*(\d)/g, '$1-$2')
    .replace(/([a-z])/g, (c) => c.toUpperCase());
  // Keep CJK ideographs, ASCII letters and digits, and the dash inside numbers; drop the rest.
  text = text.replace(/[^\p{Script=Han}0-9A-Z-]+/gu, '').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  return { text, hadTraditional: simplified !== nfkc };
}

/** Also used on the data's own names, so data and queries meet in the same form. */
export function normaliseName(name: string): string {
  return normaliseAddress(name).text;
}
