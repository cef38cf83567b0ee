import Pbf from 'pbf';
import { EXTENT } from './mercator.js';
import { putVarint, varintLength } from './mvt-writer.js';

/**
 * The fixed parts of a Layer message, encoded once per layer: what a direct writer puts around its
 * features and values. A direct writer sums its features' and values' bytes first, so the layer's
 * length is known before its first byte and nothing is moved after the fact (pbf's writeMessage writes
 * the body, then shifts it when the length takes more than one byte: a copy of the whole layer).
 *
 *   Layer (tile field 3) = version 2 · name · features … · keys … · values … · extent
 */
export class LayerShell {
  /** version (15) and name (1). */
  readonly head: Uint8Array;
  /** The keys (3), in key-index order. */
  readonly keys: Uint8Array;
  /** extent (5). */
  readonly tail: Uint8Array;

  constructor(name: string, keys: readonly string[], extent = EXTENT) {
    const head = new Pbf();
    head.writeVarintField(15, 2);
    head.writeStringField(1, name);
    this.head = head.finish().slice();
    const k = new Pbf();
    for (const key of keys) k.writeStringField(3, key);
    this.keys = k.finish().slice();
    const tail = new Pbf();
    tail.writeVarintField(5, extent);
    this.tail = tail.finish().slice();
  }

  /** Body bytes besides the features and values. */
  get fixedLength(): number {
    return this.head.length + this.keys.length + this.tail.length;
  }

  /**
   * Makes room in pbf for a layer of `bodyLength` bytes, writes its tag, length and head; returns the
   * position of the first feature. The caller writes features and values, then `finish`.
   */
  begin(pbf: Pbf, bodyLength: number): number {
    pbf.realloc(bodyLength + 6);
    const buf = pbf.buf;
    let pos = pbf.pos;
    buf[pos++] = 0x1a; // Tile.layers (3), length-delimited
    pos = putVarint(buf, pos, bodyLength);
    return copy(buf, pos, this.head);
  }

  /** Writes the keys; returns the position of the first value. */
  writeKeys(buf: Uint8Array, pos: number): number {
    return copy(buf, pos, this.keys);
  }

  /** Writes the extent and leaves pbf after the layer. */
  finish(pbf: Pbf, pos: number): void {
    pbf.pos = copy(pbf.buf, pos, this.tail);
  }
}

/** Bytes of a length-delimited field whose content is n bytes (tag, length, content). */
export function messageLength(n: number): number {
  return 1 + varintLength(n) + n;
}

function copy(buf: Uint8Array, pos: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[pos++] = bytes[i];
  return pos;
}
