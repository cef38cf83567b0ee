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

const X = 0;
const Y = 1;

/** A polygon ring (no closing vertex) clipped to the square; empty when nothing is left. */
export function clipRing(ring: number[], min: number, max: number): number[] {
  let out = clipRingEdge(ring, X, min, true);
  out = clipRingEdge(out, X, max, false);
  out = clipRingEdge(out, Y, min, true);
  return clipRingEdge(out, Y, max, false);
}

/** One Sutherland–Hodgman pass: keeps the side of `bound` on `axis` (≥ when `keepAbove`, else ≤). */
function clipRingEdge(ring: number[], axis: number, bound: number, keepAbove: boolean): number[] {
  const n = ring.length >> 1;
  const out: number[] = [];
  if (n === 0) return out;
  let px = ring[2 * n - 2];
  let py = ring[2 * n - 1];
  let prevIn = isIn(axis === X ? px : py, bound, keepAbove);
  for (let i = 0; i < n; i++) {
    const cx = ring[2 * i];
    const cy = ring[2 * i + 1];
    const curIn = isIn(axis === X ? cx : cy, bound, keepAbove);
    if (curIn !== prevIn) intersect(out, px, py, cx, cy, axis, bound);
    if (curIn) out.push(cx, cy);
    px = cx;
    py = cy;
    prevIn = curIn;
  }
  return out;
}

function isIn(v: number, bound: number, keepAbove: boolean): boolean {
  return keepAbove ? v >= bound : v <= bound;
}

/** Appends the point where segment a→b meets the line axis = bound. */
function intersect(out: number[], ax: number, ay: number, bx: number, by: number, axis: number, bound: number): void {
  if (axis === X) out.push(bound, ay + ((bound - ax) * (by - ay)) / (bx - ax));
  else out.push(ax + ((bound - ay) * (bx - ax)) / (by - ay), bound);
}

/** A line clipped to the square: the parts (each ≥ 2 vertices) that lie inside, in order. */
export function clipLine(line: number[], min: number, max: number): number[][] {
  const out: number[][] = [];
  for (const part of clipLineAxis(line, X, min, max)) out.push(...clipLineAxis(part, Y, min, max));
  return out;
}

/** Cuts a line to min ≤ coordinate ≤ max on one axis. */
function clipLineAxis(line: number[], axis: number, min: number, max: number): number[][] {
  const parts: number[][] = [];
  let part: number[] = [];
  const end = () => {
    if (part.length >= 4) parts.push(part);
    part = [];
  };
  const n = line.length >> 1;
  for (let i = 0; i < n - 1; i++) {
    const ax = line[2 * i];
    const ay = line[2 * i + 1];
    const bx = line[2 * i + 2];
    const by = line[2 * i + 3];
    const a = axis === X ? ax : ay;
    const b = axis === X ? bx : by;
    if (a < min) {
      // Entering from below, maybe leaving again above within the same segment.
      if (b > min) intersect(part, ax, ay, bx, by, axis, min);
      if (b > max) intersect(part, ax, ay, bx, by, axis, max), end();
    } else if (a > max) {
      if (b < max) intersect(part, ax, ay, bx, by, axis, max);
      if (b < min) intersect(part, ax, ay, bx, by, axis, min), end();
    } else {
      part.push(ax, ay);
      if (b < min) intersect(part, ax, ay, bx, by, axis, min), end();
      else if (b > max) intersect(part, ax, ay, bx, by, axis, max), end();
    }
  }
  if (n > 0) {
    const last = axis === X ? line[2 * n - 2] : line[2 * n - 1];
    if (last >= min && last <= max) part.push(line[2 * n - 2], line[2 * n - 1]);
  }
  end();
  return parts;
}

/** Whether a box lies inside the square (then clipping is a no-op and is skipped). */
export function boxInside(minX: number, minY: number, maxX: number, maxY: number, min: number, max: number): boolean {
  return minX >= min && minY >= min && maxX <= max && maxY <= max;
}
