import { Transform, type TransformCallback } from 'node:stream';
import Assembler from 'stream-json/Assembler.js';
import { ImportError } from './errors.js';

/**
 * Walk stream-json tokens of a GeoJSON document and emit what a reader needs, holding one feature at a
 * time: the elements of the top-level `features` array one by one, and every other top-level member
 * (type, crs, name, bbox — or geometry/properties of a single Feature) whole.
 *
 *   { "type": …, "crs": {…}, "features": [ {feature 1}, {feature 2}, … ] }
 *     └ member    └ member                  └ feature    └ feature
 *
 * The walk is synchronous inside a Transform: a document has tens of millions of tokens, and an async
 * step per token would cost more than the parsing itself. Only events cross into async iteration.
 */
export interface Token {
  name: string;
  value?: string;
}

export type GeoJsonEvent =
  | { kind: 'member'; key: string; value: unknown }
  | { kind: 'feature'; value: unknown }
  | { kind: 'featuresStart' };

function primitive(t: Token): unknown {
  switch (t.name) {
    case 'stringValue': return t.value;
    case 'numberValue': return Number(t.value);
    case 'trueValue': return true;
    case 'falseValue': return false;
    default: return null;
  }
}

const OPEN = new Set(['startObject', 'startArray']);

export class GeoJsonWalker {
  private depth = 0;
  private key = '';
  private inFeatures = false;
  private asm: Assembler | null = null;

  constructor(private readonly file: string) {}

  /** Feed one token; returns the event it completes, if any. */
  push(t: Token): GeoJsonEvent | null {
    if (this.asm) return this.assemble(t);
    if (this.depth === 0) {
      if (t.name !== 'startObject') throw new ImportError('IMPORT_BAD_GEOJSON', 'The file is JSON but not GeoJSON: its top level is not an object.', { file: this.file });
      this.depth = 1;
    } else if (t.name === 'keyValue') {
      this.key = t.value ?? '';
    } else if (this.inFeatures) {
      if (t.name === 'endArray') this.inFeatures = false;
      else if (t.name === 'startObject') this.start(t);
      else throw new ImportError('IMPORT_BAD_GEOJSON', 'The features array holds something that is not a feature object.', { file: this.file });
    } else if (this.key === 'features' && t.name === 'startArray') {
      this.inFeatures = true;
      return { kind: 'featuresStart' };
    } else if (OPEN.has(t.name)) {
      this.start(t);
    } else if (t.name === 'endObject') {
      this.depth = 0;
    } else {
      return { kind: 'member', key: this.key, value: primitive(t) };
    }
    return null;
  }

  private start(t: Token): void {
    this.asm = new Assembler();
    this.asm.consume(t);
  }

  private assemble(t: Token): GeoJsonEvent | null {
    const asm = this.asm!;
    asm.consume(t);
    if (!asm.done) return null;
    this.asm = null;
    return this.inFeatures ? { kind: 'feature', value: asm.current } : { kind: 'member', key: this.key, value: asm.current };
  }
}

/** stream-json tokens in, GeoJsonEvents out (object mode on both sides). */
export function geojsonEventStream(file: string): Transform {
  const walker = new GeoJsonWalker(file);
  return new Transform({
    objectMode: true,
    transform(token: Token, _enc: BufferEncoding, done: TransformCallback) {
      try {
        const event = walker.push(token);
        done(null, event ?? undefined);
      } catch (err) {
        done(err as Error);
      }
    },
  });
}
