/**
 * A reusable buffer of vertices (x0 y0 x1 y1 … in tile units) and their count: what the typed
 * clipping and simplification passes read and write, so cutting a ring allocates nothing once the
 * buffers have grown to the largest ring seen.
 */
export class Vertices {
  xy: Float64Array;
  n = 0;

  constructor(capacity = 256) {
    this.xy = new Float64Array(2 * capacity);
  }

  /** Room for n vertices (the contents are kept); returns the array to write. */
  reserve(n: number): Float64Array {
    if (this.xy.length < 2 * n) {
      const xy = new Float64Array(Math.max(2 * n, 2 * this.xy.length));
      xy.set(this.xy);
      this.xy = xy;
    }
    return this.xy;
  }

  /** Copies a plain array in. */
  static of(p: ArrayLike<number>): Vertices {
    const v = new Vertices(Math.max(1, p.length >> 1));
    v.xy.set(p);
    v.n = p.length >> 1;
    return v;
  }

  toArray(): number[] {
    return Array.from(this.xy.subarray(0, 2 * this.n));
  }
}
