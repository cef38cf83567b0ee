/**
 * Clipping to a tile's square [min, max]² (the tile plus its buffer, in tile units) on flat coordinate
 * arrays x0 y0 x1 y1 …, one axis at a time like geojson-vt's clip.js.
 *
 *   min         max            a polygon ring is clipped by Sutherland–Hodgman against each of the four
 *    ┊  ┌──────┐ ┊             edges in turn: it stays one ring (possibly with edges running along the
 *    ┊ ╱ inside ╲┊             boundary), or becomes empty when wholly outside.
 *  ──┊╱──────────┊╲──          a line is cut into parts: every exit ends a part and every entry starts one.
 *    ┊           ┊
 *
 * Points on the boundary count as inside. Callers skip clipping for features whose bounding box is
 * already inside the square, which is almost every feature at the zooms where tiles are dense.
 */

import { Vertices } from './vertices.js';

export const X = 0;
export const Y = 1;

/** A polygon ring (no closing vertex) clipped to the square; empty when nothing is left. */
export function clipRing(ring: number[], min: number, max: number): number[] {
  const v = Vertices.of(ring);
  clipRingInPlace(v, min, max, new Vertices(v.n));
  return v.toArray();
}

/**
 * The same on typed buffers: `ring` is clipped in place, `spare` is scratch. The four passes ping-pong
 * between the two, so the result lands back in `ring`.
 */
export function clipRingInPlace(ring: Vertices, min: number, max: number, spare: Vertices): void {
  clipRingEdge(ring, spare, X, min, true);
  clipRingEdge(spare, ring, X, max, false);
  clipRingEdge(ring, spare, Y, min, true);
  clipRingEdge(spare, ring, Y, max, false);
}

/** One Sutherland–Hodgman pass from src into out: keeps the side of `bound` on `axis` (≥ when `keepAbove`, else ≤). */
function clipRingEdge(src: Vertices, out: Vertices, axis: number, bound: number, keepAbove: boolean): void {
  const n = src.n;
  const s = src.xy;
  // Each vertex adds at most itself and one crossing.
  const o = out.reserve(2 * n);
  let m = 0;
  if (n > 0) {
    let px = s[2 * n - 2];
    let py = s[2 * n - 1];
    let prevIn = isIn(axis === X ? px : py, bound, keepAbove);
    for (let i = 0; i < n; i++) {
      const cx = s[2 * i];
      const cy = s[2 * i + 1];
      const curIn = isIn(axis === X ? cx : cy, bound, keepAbove);
      if (curIn !== prevIn) {
        if (axis === X) {
          o[2 * m] = bound;
          o[2 * m + 1] = py + ((bound - px) * (cy - py)) / (cx - px);
        } else {
          o[2 * m] = px + ((bound - py) * (cx - px)) / (cy - py);
          o[2 * m + 1] = bound;
        }
        m++;
      }
      if (curIn) {
        o[2 * m] = cx;
        o[2 * m + 1] = cy;
        m++;
      }
      px = cx;
      py = cy;
      prevIn = curIn;
    }
  }
  out.n = m;
}

function isIn(v: number, bound: number, keepAbove: boolean): boolean {
  return keepAbove ? v >= bound : v <= bound;
}

/** Appends the point where segment a→b meets the line axis = bound. */
function intersect(out: Vertices, ax: number, ay: number, bx: number, by: number, axis: number, bound: number): void {
  if (axis === X) append(out, bound, ay + ((bound - ax) * (by - ay)) / (bx - ax));
  else append(out, ax + ((bound - ay) * (bx - ax)) / (by - ay), bound);
}

/** A line clipped to the square: the parts (each ≥ 2 vertices) that lie inside, in order. */
export function clipLine(line: number[], min: number, max: number): number[][] {
  const byX = new Vertices();
  const xEnds: number[] = [];
  clipLineAxis(Vertices.of(line), 0, line.length >> 1, X, min, max, byX, xEnds);
  const out = new Vertices();
  const ends: number[] = [];
  xEnds.forEach((e, k) => clipLineAxis(byX, k > 0 ? xEnds[k - 1] : 0, e, Y, min, max, out, ends));
  return ends.map((e, k) => Array.from(out.xy.subarray(2 * (k > 0 ? ends[k - 1] : 0), 2 * e)));
}

/**
 * Cuts vertices [from, to) of `line` to min ≤ coordinate ≤ max on one axis, appending the parts (each
 * ≥ 2 vertices) to `out` and each part's end (a vertex count of out) to `ends`.
 */
export function clipLineAxis(line: Vertices, from: number, to: number, axis: number, min: number, max: number, out: Vertices, ends: number[]): void {
  // Each segment adds at most its start and two crossings.
  out.reserve(out.n + 3 * (to - from) + 1);
  const p = line.xy;
  let start = out.n;
  for (let i = from; i < to - 1; i++) {
    const ax = p[2 * i];
    const ay = p[2 * i + 1];
    const bx = p[2 * i + 2];
    const by = p[2 * i + 3];
    const a = axis === X ? ax : ay;
    const b = axis === X ? bx : by;
    if (a < min) {
      // Entering from below, maybe leaving again above within the same segment.
      if (b > min) intersect(out, ax, ay, bx, by, axis, min);
      if (b > max) intersect(out, ax, ay, bx, by, axis, max), (start = endPart(out, start, ends));
    } else if (a > max) {
      if (b < max) intersect(out, ax, ay, bx, by, axis, max);
      if (b < min) intersect(out, ax, ay, bx, by, axis, min), (start = endPart(out, start, ends));
    } else {
      append(out, ax, ay);
      if (b < min) intersect(out, ax, ay, bx, by, axis, min), (start = endPart(out, start, ends));
      else if (b > max) intersect(out, ax, ay, bx, by, axis, max), (start = endPart(out, start, ends));
    }
  }
  if (to > from) {
    const last = axis === X ? p[2 * to - 2] : p[2 * to - 1];
    if (last >= min && last <= max) append(out, p[2 * to - 2], p[2 * to - 1]);
  }
  endPart(out, start, ends);
}

/** Ends the part begun at vertex `start` of out: kept with ≥ 2 vertices, else taken back. Returns the next part's start. */
function endPart(out: Vertices, start: number, ends: number[]): number {
  if (out.n - start >= 2) ends.push(out.n);
  else out.n = start;
  return out.n;
}

function append(out: Vertices, x: number, y: number): void {
  out.xy[2 * out.n] = x;
  out.xy[2 * out.n + 1] = y;
  out.n++;
}

/** Whether a box lies inside the square (then clipping is a no-op and is skipped). */
export function boxInside(minX: number, minY: number, maxX: number, maxY: number, min: number, max: number): boolean {
  return minX >= min && minY >= min && maxX <= max && maxY <= max;
}
