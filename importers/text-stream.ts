import { createReadStream } from 'node:fs';
import { Transform, type Duplex, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { streamDecoderFor } from './decoders.js';

/**
 * Stream plumbing shared by the text readers (CSV, GeoJSON): gzip, decoding to UTF-8, and turning a
 * `pipeline` into an async iterable a caller can stop early without leaking file handles.
 */

/** The file as a byte stream, gunzipped when it ends in .gz. */
export function fileStreams(file: string): [Readable, ...Duplex[]] {
  const source = createReadStream(file);
  return /\.gz$/i.test(file) ? [source, createGunzip()] : [source];
}

/** Decodes bytes in `encoding` (gbk, big5…) into UTF-8 bytes; drops a UTF-8 BOM. Stateful across chunks. */
export function utf8From(encoding: string): Transform {
  const decoder = streamDecoderFor(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      done(null, Buffer.from(decoder.write(chunk), 'utf8'));
    },
    flush(done: TransformCallback) {
      done(null, Buffer.from(decoder.end(), 'utf8'));
    },
  });
}

/** The first `max` bytes of the (decompressed) file, for sniffing encoding, delimiter and CRS. */
export async function readHead(file: string, max = 256 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of iterateStreams<Buffer>(fileStreams(file))) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= max) break;
  }
  return Buffer.concat(parts).subarray(0, max);
}

/**
 * Iterate the output of `pipeline(streams)`. Errors anywhere in the chain surface from the loop; a
 * consumer that stops early destroys the chain, and only the premature-close error that causes is
 * ignored — every other failure still propagates.
 */
export async function* iterateStreams<T>(streams: [Readable, ...Duplex[]]): AsyncGenerator<T> {
  if (streams.length === 1) {
    // pipeline() needs two streams; a lone one is iterated directly (for-await destroys it on break).
    for await (const item of streams[0]) yield item as T;
    return;
  }
  const last = streams[streams.length - 1];
  let stoppedEarly = false;
  const done = pipeline(streams).catch((err: unknown) => {
    if (!stoppedEarly) throw err;
  });
  try {
    for await (const item of last) yield item as T;
    await done;
  } finally {
    if (!last.readableEnded) {
      stoppedEarly = true;
      for (const s of streams) s.destroy();
      await done.catch(() => undefined);
    }
  }
}

/** Lines of a head sample (the last, possibly cut, line dropped): per-line samples for detection. */
export function headLines(head: Buffer, complete: boolean): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = head.indexOf(0x0a); i >= 0; i = head.indexOf(0x0a, start)) {
    lines.push(head.subarray(start, i));
    start = i + 1;
  }
  if (complete && start < head.length) lines.push(head.subarray(start));
  return lines;
}
