/**
 * Validated features kept between an import's validation and its write, as their JSON in UTF-8 bytes
 * (the text the history records as `after`). A million features as objects cost the garbage collector
 * more than building them did (each survives the young generation and is copied twice); as bytes in a
 * few large buffers they cost it nothing, and ~650 MB instead of ~1.5 GB for a 1M-component census.
 */
const CHUNK = 32 * 2 ** 20;

export class FeatureArena {
  private chunks: Buffer[] = [];
  private used = CHUNK;
  private where = new Float64Array(3 * 1024);
  /** Features held. */
  length = 0;
  /** Bytes held. */
  bytes = 0;

  /** Keeps `json` (a feature's JSON text); returns its index. */
  add(json: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: reserve that, write once, keep what was used.
    const room = 3 * json.length;
    if (this.used + room > CHUNK) {
      this.chunks.push(Buffer.allocUnsafe(Math.max(CHUNK, room)));
      this.used = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1];
    const n = chunk.write(json, this.used, 'utf8');
    if (3 * (this.length + 1) > this.where.length) {
      const grown = new Float64Array(this.where.length * 2);
      grown.set(this.where);
      this.where = grown;
    }
    const i = this.length++;
    this.where[3 * i] = this.chunks.length - 1;
    this.where[3 * i + 1] = this.used;
    this.where[3 * i + 2] = n;
    this.used += n;
    this.bytes += n;
    return i;
  }

  /** The JSON text of feature `i`. */
  json(i: number): string {
    const start = this.where[3 * i + 1];
    return this.chunks[this.where[3 * i]].toString('utf8', start, start + this.where[3 * i + 2]);
  }

  clear(): void {
    this.chunks = [];
    this.used = CHUNK;
    this.where = new Float64Array(3 * 1024);
    this.length = 0;
    this.bytes = 0;
  }
}
