import iconv from 'iconv-lite';
import { TextDecoder } from 'node:util';

/**
 * Text decoders by WHATWG encoding name. Node's TextDecoder (ICU) decodes GBK/GB18030 and UTF-8 natively,
 * but its "big5" is plain CP950: Hong Kong Supplementary Character Set codes (鴨脷洲's 脷, 葵涌邨's 邨,
 * 深水埗's 埗) come out as private-use characters. Big5 text is therefore decoded as Big5-HKSCS by
 * iconv-lite — a superset, so Taiwanese Big5 reads the same.
 */
export interface Decoder {
  decode(bytes: Uint8Array): string;
  /** Bytes 0x20–0x7E are the ASCII characters (true of every encoding a .dbf or CSV uses but UTF-16). */
  asciiCompatible?: boolean;
}

/** A decoder that keeps a multi-byte character cut across chunks for the next chunk. */
export interface StreamDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

const viaIconv = (encoding: string) => encoding === 'big5';

export function decoderFor(encoding: string): Decoder {
  if (viaIconv(encoding)) return { decode: (bytes) => iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'big5hkscs'), asciiCompatible: true };
  const decoder = new TextDecoder(encoding);
  return { decode: (bytes) => decoder.decode(bytes), asciiCompatible: !/^(utf-16|iso-2022|hz-gb)/i.test(decoder.encoding) };
}

export function streamDecoderFor(encoding: string): StreamDecoder {
  if (viaIconv(encoding)) {
    const d = iconv.getDecoder('big5hkscs');
    return { write: (bytes) => d.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), end: () => d.end() ?? '' };
  }
  const decoder = new TextDecoder(encoding);
  return { write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
}
