import { segmentDistanceSq } from '../src/index/flat-geometry.js';
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
  const keep = new Uint8Array(n);
  const sqTol = tolerance * tolerance;
  keep[0] = 1;
  if (closed) {
    const far = farthestFromPoint(p, 0, n);
    keep[far] = 1;
    markSpan(p, 0, far, keep, sqTol);
    markSpan(p, far, n, keep, sqTol); // index n wraps to vertex 0
  } else {
    keep[n - 1] = 1;
    markSpan(p, 0, n - 1, keep, sqTol);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(p[2 * i], p[2 * i + 1]);
  return out;
}

function markSpan(p: number[], first: number, last: number, keep: Uint8Array, sqTol: number): void {
  const n = p.length >> 1;
  const stack = [first, last];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
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
    stack.push(a, index, index, b);
  }
}

function farthestFromPoint(p: number[], from: number, n: number): number {
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

/** Absolute area of a ring in square tile units (unrounded), to drop rings too small to see. */
export function absArea(p: number[]): number {
  const n = p.length >> 1;
  let sum = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) sum += p[2 * j] * p[2 * i + 1] - p[2 * i] * p[2 * j + 1];
  return Math.abs(sum) / 2;
}
