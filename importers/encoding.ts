import { decoderFor } from './decoders.js';
import { ImportError, show, type ImportWarning } from './errors.js';

/**
 * Text encodings of census files: .cpg labels, dBASE language-driver bytes, and detection by scoring.
 *
 * Detection never means "try UTF-8, fall back to GBK": some GBK strings are valid UTF-8 (太原 = CC AB D4 AD
 * decodes as UTF-8 to "̫ԭ", a combining mark and an Armenian letter), so the first decoder that does not
 * throw is often the wrong one. Instead every candidate decodes the sample and is scored by what it
 * produces: common Chinese characters score, replacement characters and marks no Chinese name contains
 * cost. Decoding itself is decoders.ts (ICU for GBK/UTF-8, iconv-lite for Big5-HKSCS).
 */

export type EncodingSource = 'option' | 'cpg' | 'ldid' | 'bom' | 'detected' | 'default';

export interface DetectedEncoding {
  /** A WHATWG encoding name TextDecoder accepts: utf-8, gbk, gb18030, big5, windows-1252… */
  encoding: string;
  /** Score margin of the winner over the runner-up, per non-ASCII character (0 when nothing to judge). */
  margin: number;
  /** The bytes are valid UTF-8 holding literal U+FFFD: text damaged before it reached us. */
  damaged: boolean;
}

/**
 * The canonical TextDecoder name of an encoding label, or null when Node cannot decode it.
 * Code-page numbers and Windows spellings are accepted: 936/cp936/GB2312 → gbk, 950 → big5, 65001 → utf-8.
 */
export function normalizeEncoding(label: string): string | null {
  const l = label.trim().toLowerCase().replace(/^(ansi|oem)[\s_-]*/, '');
  const alias: Record<string, string> = {
    '936': 'gbk', cp936: 'gbk', 'windows-936': 'gbk', 'gb2312': 'gbk', 'euc-cn': 'gbk',
    '54936': 'gb18030', '950': 'big5', cp950: 'big5', 'big5-hkscs': 'big5', big5hkscs: 'big5',
    '65001': 'utf-8', utf8: 'utf-8', '1252': 'windows-1252', cp1252: 'windows-1252', '88591': 'iso-8859-1',
    '932': 'shift_jis', cp932: 'shift_jis', '949': 'euc-kr', cp949: 'euc-kr',
  };
  try {
    return new TextDecoder(alias[l] ?? l).encoding;
  } catch {
    return null;
  }
}

/**
 * dBASE language-driver ids (header byte 29) that name an East-Asian code page. Western and "ANSI" ids
 * (0x57 and friends) are deliberately absent: ArcGIS writes 0x57 for "the system code page", which on a
 * Chinese Windows machine is GBK, so they prove nothing and detection decides instead.
 */
const LDID: Record<number, string> = {
  0x4d: 'gbk', 0x7a: 'gbk', // code page 936
  0x4f: 'big5', 0x78: 'big5', // 950
  0x13: 'shift_jis', 0x7b: 'shift_jis', // 932
  0x4e: 'euc-kr', 0x79: 'euc-kr', // 949
};

export function encodingFromLdid(byte: number): string | null {
  return LDID[byte] ?? null;
}

/** Encodings detection chooses between, and a prior that breaks near-ties towards the likelier one. */
const CANDIDATES: Array<[string, number]> = [['utf-8', 1], ['gbk', 1], ['big5', 0.9], ['windows-1252', 0.8]];

let commonHanzi: Set<string> | null = null;

/**
 * GB2312 level 1 (3755 most used simplified characters) ∪ Big5 level 1 (5401 most used traditional ones),
 * built once by decoding their byte ranges — no table to ship.
 */
function common(): Set<string> {
  if (commonHanzi) return commonHanzi;
  const set = new Set<string>();
  const add = (encoding: string, leads: [number, number], trails: Array<[number, number]>) => {
    const decoder = new TextDecoder(encoding);
    for (let a = leads[0]; a <= leads[1]; a++) {
      for (const [t0, t1] of trails) for (let b = t0; b <= t1; b++) set.add(decoder.decode(new Uint8Array([a, b])));
    }
  };
  add('gbk', [0xb0, 0xd7], [[0xa1, 0xfe]]);
  add('big5', [0xa4, 0xc5], [[0x40, 0x7e], [0xa1, 0xfe]]);
  add('big5', [0xc6, 0xc6], [[0x40, 0x7e]]);
  set.delete('\uFFFD');
  commonHanzi = set;
  return set;
}

const isLetter = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);

/** Score of one decoded string; `literalFffd` when U+FFFD came from valid EF BF BD bytes. */
function scoreText(text: string, literalFffd: boolean): { score: number; chars: number } {
  const hanzi = common();
  let score = 0;
  let chars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const cp = c.codePointAt(0)!;
    if (cp < 0x80) continue;
    chars++;
    if (cp === 0xfffd) score += literalFffd ? 0 : -5;
    else if (hanzi.has(c)) score += isLetter(text[i - 1]) && isLetter(text[i + 1]) ? -0.5 : 1;
    else if ((cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || cp > 0xffff) score += 0.2;
    else if ((cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff01 && cp <= 0xff5e)) score += 0.5;
    else if (cp >= 0xc0 && cp <= 0xff && cp !== 0xd7 && cp !== 0xf7) score += 0.3;
    else score -= 1;
    if (cp > 0xffff) i++;
  }
  return { score, chars };
}

export function validUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const hasFffdBytes = (b: Uint8Array) => b.some((v, i) => v === 0xef && b[i + 1] === 0xbf && b[i + 2] === 0xbd);

/**
 * Choose the encoding of text samples (each one value, so no character is cut in two):
 * 1. drop pure-ASCII samples (every candidate agrees on them); none left → `fallback`;
 * 1b. valid UTF-8 holding EF BF BD → UTF-8, flagged as damaged;
 * 2. decode every sample with each candidate and score the result (scoreText);
 * 3. the highest total × prior wins; ties go to the earlier candidate (UTF-8, then GBK).
 */
export function detectEncoding(samples: Iterable<Uint8Array>, fallback = 'utf-8'): DetectedEncoding {
  const texts = [...samples].filter((s) => s.some((b) => b >= 0x80));
  if (texts.length === 0) return { encoding: fallback, margin: 0, damaged: false };
  const utf8Valid = texts.map(validUtf8);
  const damaged = texts.some((s, i) => utf8Valid[i] && hasFffdBytes(s));
  // Valid UTF-8 spelling U+FFFD is text someone already decoded lossily and saved as UTF-8: read it as
  // UTF-8 (GBK would turn each EF BF BD into the famous 锟斤拷) and let the caller warn.
  if (damaged && utf8Valid.every(Boolean)) return { encoding: 'utf-8', margin: 0, damaged };
  const results = CANDIDATES.map(([encoding, prior]) => {
    const decoder = decoderFor(encoding);
    let score = 0;
    let chars = 0;
    texts.forEach((s, i) => {
      const r = scoreText(decoder.decode(s), encoding === 'utf-8' && utf8Valid[i]);
      score += r.score;
      chars += r.chars;
    });
    return { encoding, score: score * (score > 0 ? prior : 1 / prior), chars };
  });
  const sorted = [...results].sort((a, b) => b.score - a.score);
  const [best, second] = sorted;
  return { encoding: best.encoding, margin: (best.score - second.score) / Math.max(1, best.chars), damaged };
}

export interface EncodingChoice {
  encoding: string;
  source: EncodingSource;
}

export interface EncodingInputs {
  /** The caller's encoding option: it wins, and must be a label Node can decode. */
  option?: string;
  /** Contents of a .cpg file, if there is one. */
  cpg?: string;
  /** Other evidence already in the bytes (a dBASE language byte, a BOM). */
  hint?: { encoding: string; source: EncodingSource } | null;
  /** Text samples to score when nothing above decides. */
  samples: () => Promise<Uint8Array[]>;
  file: string;
}

/**
 * The encoding of a text-bearing file, by precedence: 1. the encoding option; 2. a .cpg the runtime
 * understands (an unknown one is reported and skipped); 3. the file's own hint (dBASE language byte,
 * BOM); 4. detection by scoring (reported, with a warning when the text was already damaged).
 */
export async function chooseEncoding(inputs: EncodingInputs, warnings: ImportWarning[]): Promise<EncodingChoice> {
  const { option, cpg, hint, file } = inputs;
  if (option !== undefined) {
    const encoding = normalizeEncoding(option);
    if (!encoding) throw new ImportError('IMPORT_BAD_ENCODING', `The encoding option ${show(option)} is not an encoding Node.js can decode.`, { file });
    return { encoding, source: 'option' };
  }
  if (cpg !== undefined) {
    const encoding = normalizeEncoding(cpg);
    if (encoding) return { encoding, source: 'cpg' };
    const message = `The .cpg names ${show(cpg.trim(), 60)}, which Node.js cannot decode; the encoding was detected instead.`;
    warnings.push({ code: 'IMPORT_CPG_IGNORED', file, message });
  }
  if (hint) return hint;
  const found = detectEncoding(await inputs.samples());
  if (found.damaged) {
    const message = 'Some text already holds U+FFFD replacement characters (�): it was damaged before this file was made and cannot be recovered.';
    warnings.push({ code: 'IMPORT_TEXT_DAMAGED', file, message });
  } else if (found.margin > 0) {
    const message = `No .cpg or encoding option: the text was read as ${found.encoding}, judged from its bytes. Give the encoding option if names look wrong.`;
    warnings.push({ code: 'IMPORT_ENCODING_GUESSED', file, message });
  }
  return { encoding: found.encoding, source: found.margin > 0 || found.damaged ? 'detected' : 'default' };
}
