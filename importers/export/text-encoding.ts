import iconv from 'iconv-lite';
import { ImportRunError } from '../import-errors.js';

/**
 * Text encodings a shapefile can be written in. Node's TextDecoder reads GBK but nothing in Node
 * encodes it, so GBK goes through iconv-lite (CP936, what ArcGIS, SuperMap and MapGIS on a Chinese
 * Windows use). A character GBK lacks (rare 生僻字 outside GB 2312/GBK, emoji) becomes "?": counted, so
 * the export can say so and suggest UTF-8.
 */
export interface TextEncoding {
  name: 'gbk' | 'utf-8';
  /** What the .cpg says. */
  cpg: string;
  /** dBASE language driver id (byte 29): 0x4D is code page 936; UTF-8 has none, the .cpg tells. */
  ldid: number;
  encode(s: string): Buffer;
  /** Characters of `s` that `bytes` could not keep. */
  lost(s: string, bytes: Buffer): number;
}

const GBK: TextEncoding = {
  name: 'gbk', cpg: 'GBK', ldid: 0x4d,
  encode: (s) => iconv.encode(s, 'gbk'),
  lost: (s, bytes) => count(bytes, 0x3f) - count(Buffer.from(s, 'latin1'), 0x3f),
};

const UTF8: TextEncoding = {
  name: 'utf-8', cpg: 'UTF-8', ldid: 0x00,
  encode: (s) => Buffer.from(s, 'utf8'),
  lost: () => 0,
};

/** GBK trail bytes are 0x40–0xFE, so a 0x3F byte in GBK output is always a "?". */
function count(bytes: Buffer, byte: number): number {
  let n = 0;
  for (let i = bytes.indexOf(byte); i >= 0; i = bytes.indexOf(byte, i + 1)) n++;
  return n;
}

export function textEncoding(name: string | undefined, fallback: 'gbk' | 'utf-8'): TextEncoding {
  const label = (name ?? fallback).toLowerCase().replace(/[\s_-]/g, '');
  if (['gbk', 'cp936', '936', 'gb2312'].includes(label)) return GBK;
  if (['utf8', '65001'].includes(label)) return UTF8;
  throw new ImportRunError('IMPORT_BAD_OPTION', `--encoding ${JSON.stringify(name)} must be gbk or utf-8.`);
}
