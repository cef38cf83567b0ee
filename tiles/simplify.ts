import { segmentDistanceSq } from '../src/index/flat-geometry.js';
import { Vertices } from './vertices.js';
/**
 * Douglas–Peucker simplification and quantisation on flat coordinate arrays in tile units.
 *
 * The tolerance is in tile units, so one value serves every zoom: 1 unit is 1/4096 of the tile at any z
 * (about 3 cm at z18 and 9 m at z12 at Hangzhou's latitude), below what a renderer can show. The
 * quantised output is integers; the MVT writer then drops the duplicates rounding creates.
 */

/**
 * Simplifies a path (or a ring, when `closed`: the first vertex doubles as the last) and keeps the
 * vertices farther than `tolerance` from the simplified shape.
 *
 *  1. mark the first and last vertex (for a ring, the first and the vertex farthest from it);
 *  2. for each marked span, find the vertex farthest from the chord; if it is farther than the tolerance
 *     mark it and split the span there (an explicit stack, so long paths cannot overflow the call stack);
 *  3. return the marked vertices in order.
 */
export function simplify(p: number[], tolerance: number, closed: boolean): number[] {
  const n = p.length >> 1;
  if (tolerance <= 0 || n <= (closed ? 4 : 2)) return p;
  const v = Vertices.of(p);
  simplifyInPlace(v, tolerance, closed, { keep: new Uint8Array(n), stack: new Int32Array(64) });
  return v.toArray();
}

/** Reusable state of simplifyInPlace. */
export interface SimplifyScratch {
  keep: Uint8Array;
  /** Spans still to look at (first, last pairs); grown as needed. */
  stack: Int32Array;
}

/** The same on a typed buffer: the kept vertices move to its front, in order, and `n` becomes their count. */
export function simplifyInPlace(v: Vertices, tolerance: number, closed: boolean, scratch: SimplifyScratch): void {
  const n = v.n;
  if (tolerance <= 0 || n <= (closed ? 4 : 2)) return;
  if (scratch.keep.length < n) scratch.keep = new Uint8Array(Math.max(n, 2 * scratch.keep.length));
  const keep = scratch.keep;
  keep.fill(0, 0, n);
  const p = v.xy;
  const sqTol = tolerance * tolerance;
  keep[0] = 1;
  if (closed) {
    const far = farthestFromPoint(p, 0, n);
    keep[far] = 1;
    markSpan(p, n, 0, far, keep, sqTol, scratch);
    markSpan(p, n, far, n, keep, sqTol, scratch); // index n wraps to vertex 0
  } else {
    keep[n - 1] = 1;
    markSpan(p, n, 0, n - 1, keep, sqTol, scratch);
  }
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    p[2 * m] = p[2 * i];
    p[2 * m + 1] = p[2 * i + 1];
    m++;
  }
  v.n = m;
}

function markSpan(p: Float64Array, n: number, first: number, last: number, keep: Uint8Array, sqTol: number, scratch: SimplifyScratch): void {
  let stack = scratch.stack;
  let top = 0;
  stack[top++] = first;
  stack[top++] = last;
  while (top > 0) {
    const b = stack[--top];
    const a = stack[--top];
    let maxSq = sqTol;
    let index = -1;
    const bi = b % n;
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistanceSq(p[2 * i], p[2 * i + 1], p[2 * a], p[2 * a + 1], p[2 * bi], p[2 * bi + 1]);
      if (d > maxSq) {
        maxSq = d;
        index = i;
      }
    }
    if (index < 0) continue;
    keep[index] = 1;
    if (top + 4 > stack.length) {
      const grown = new Int32Array(2 * stack.length);
      grown.set(stack);
      scratch.stack = stack = grown;
    }
    stack[top++] = a;
    stack[top++] = index;
    stack[top++] = index;
    stack[top++] = b;
  }
}

function farthestFromPoint(p: Float64Array, from: number, n: number): number {
  let best = from;
  let bestSq = -1;
  for (let i = 0; i < n; i++) {
    const dx = p[2 * i] - p[2 * from];
    const dy = p[2 * i + 1] - p[2 * from + 1];
    if (dx * dx + dy * dy > bestSq) {
      bestSq = dx * dx + dy * dy;
      best = i;
    }
  }
  return best;
}

/** Rounds to integer tile units in place and returns the array (duplicates are left to the writer). */
export function quantise(p: number[]): number[] {
  for (let i = 0; i < p.length; i++) p[i] = Math.round(p[i]);
  return p;
}

/** Absolute area of a ring (its first n vertices) in square tile units (unrounded), to drop rings too small to see. */
export function absArea(p: ArrayLike<number>, n = p.length >> 1): number {
  let sum = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) sum += p[2 * j] * p[2 * i + 1] - p[2 * i] * p[2 * j + 1];
  return Math.abs(sum) / 2;
}
