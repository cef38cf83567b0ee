/**
 * Points projected once and kept in k-d order, KDBush-style: the coordinates are the index.
 *
 *   coords   qx qy qx qy …   32-bit fixed point over the points' extent, sorted into a k-d tree in place
 *
 *   X = originX + qx · 2^−shift     (the same for Y; one shift for both axes)
 *
 * A point is its own bounding box and anchor, so nothing else is stored: 8 bytes a point (a bbox +
 * anchor + R-tree entry per point cost ~90, Float64 coordinates 16). The step is a power of two and the
 * origin a multiple of it, so X is exact in a double and so is its tile-unit position X · 2^z · extent −
 * x · extent: the only error is the one rounding to the grid, half a step. For a city (an extent under
 * ~1.4°, 2^−8 of the world) the step is at most 2^−40 of the world: 1/64 of a tile unit at z22, the
 * deepest zoom served; a province of ~20° still gets 1/4 of a unit at z22 and 1/64 at z18.
 *
 * Positions (not item numbers) come out of the queries; `order` (from `build`) says which input point
 * each position holds, so the caller can lay its own per-point arrays out in k-d order and drop it.
 *
 * Build (mourner/kdbush): recursively split the positions at the median of x, then y, then x … with
 * Floyd–Rivest selection, until a span holds at most nodeSize points. Query: walk the implicit tree
 * with an explicit stack, scanning leaves whole.
 */
export class PointIndex {
  readonly size: number;
  readonly coords: Uint32Array;
  /** Normalised position of grid point 0, and the grid step 2^−shift. */
  readonly originX: number;
  readonly originY: number;
  readonly step: number;
  private readonly nodeSize: number;
  /** Reused by range queries (one at a time: queries are synchronous). */
  private stack: Int32Array = new Int32Array(96);

  private constructor(coords: Uint32Array, originX: number, originY: number, step: number, nodeSize: number) {
    this.size = coords.length >> 1;
    this.coords = coords;
    this.originX = originX;
    this.originY = originY;
    this.step = step;
    this.nodeSize = nodeSize;
  }

  /** `xy` holds X Y per point (normalised [0, 1]); order[pos] is the input point at k-d position pos. */
  static build(xy: Float64Array, nodeSize = 64): { index: PointIndex; order: Uint32Array } {
    const size = xy.length >> 1;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < size; i++) {
      minX = Math.min(minX, xy[2 * i]);
      minY = Math.min(minY, xy[2 * i + 1]);
      maxX = Math.max(maxX, xy[2 * i]);
      maxY = Math.max(maxY, xy[2 * i + 1]);
    }
    if (size === 0) minX = minY = maxX = maxY = 0;
    // The finest power-of-two step at which the extent still fits 32 bits (at most 2^−52: doubles stay exact).
    let shift = 52;
    const originOf = (v: number) => Math.floor(v * 2 ** shift) / 2 ** shift;
    while (shift > 0 && Math.max((maxX - originOf(minX)) * 2 ** shift, (maxY - originOf(minY)) * 2 ** shift) > 0xffff_fffe) shift--;
    const step = 2 ** -shift;
    const originX = originOf(minX);
    const originY = originOf(minY);
    const coords = new Uint32Array(size * 2);
    for (let i = 0; i < size; i++) {
      coords[2 * i] = Math.round((xy[2 * i] - originX) / step);
      coords[2 * i + 1] = Math.round((xy[2 * i + 1] - originY) / step);
    }
    const order = new Uint32Array(size);
    for (let i = 0; i < size; i++) order[i] = i;
    sortKD(order, coords, nodeSize, 0, size - 1, 0);
    return { index: new PointIndex(coords, originX, originY, step, nodeSize), order };
  }

  /** Normalised X and Y of the point at position pos. */
  x(pos: number): number {
    return this.originX + this.coords[2 * pos] * this.step;
  }

  y(pos: number): number {
    return this.originY + this.coords[2 * pos + 1] * this.step;
  }

  /**
   * Calls visit(pos) for every point in (or a grid step around) the normalised box, in tree order,
   * without a list (a z12 tile can hold the whole city).
   */
  range(minX: number, minY: number, maxX: number, maxY: number, visit: (pos: number) => void): void {
    const box = this.gridBox(minX, minY, maxX, maxY);
    if (!box) return;
    const [x0, y0, x1, y1] = box;
    const { coords, nodeSize } = this;
    const stack = [0, this.size - 1, 0];
    while (stack.length) {
      const axis = stack.pop()!;
      const right = stack.pop()!;
      const left = stack.pop()!;
      if (right - left <= nodeSize) {
        for (let i = left; i <= right; i++) {
          const x = coords[2 * i];
          const y = coords[2 * i + 1];
          if (x >= x0 && x <= x1 && y >= y0 && y <= y1) visit(i);
        }
        continue;
      }
      const m = (left + right) >> 1;
      const x = coords[2 * m];
      const y = coords[2 * m + 1];
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) visit(m);
      const v = axis === 0 ? x : y;
      if (axis === 0 ? x0 <= v : y0 <= v) stack.push(left, m - 1, 1 - axis);
      if (axis === 0 ? x1 >= v : y1 >= v) stack.push(m + 1, right, 1 - axis);
    }
  }

  /**
   * The box on the grid, one step wider than the subtraction's rounding could shift its edges (callers
   * apply their exact test to what comes out); null when no grid point can be in it.
   */
  private gridBox(minX: number, minY: number, maxX: number, maxY: number): [number, number, number, number] | null {
    if (this.size === 0) return null;
    const x0 = Math.max(0, Math.ceil((minX - this.originX) / this.step) - 1);
    const y0 = Math.max(0, Math.ceil((minY - this.originY) / this.step) - 1);
    const x1 = Math.min(0xffff_ffff, Math.floor((maxX - this.originX) / this.step) + 1);
    const y1 = Math.min(0xffff_ffff, Math.floor((maxY - this.originY) / this.step) + 1);
    return x0 > x1 || y0 > y1 ? null : [x0, y0, x1, y1];
  }

  /**
   * The positions of the points in (or a grid step around) the normalised box, in tree order, written into
   * `into` (or a larger copy of it when it is too small: use the returned array).
   */
  positions(minX: number, minY: number, maxX: number, maxY: number, into: Uint32Array): { positions: Uint32Array; count: number } {
    let out = into;
    let count = 0;
    const box = this.gridBox(minX, minY, maxX, maxY);
    if (!box) return { positions: out, count };
    const [x0, y0, x1, y1] = box;
    const { coords, nodeSize } = this;
    let stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    stack[top++] = this.size - 1;
    stack[top++] = 0;
    while (top > 0) {
      const axis = stack[--top];
      const right = stack[--top];
      const left = stack[--top];
      if (out.length - count <= right - left + 1) out = grow(out, count + right - left + 1);
      if (right - left <= nodeSize) {
        for (let i = left; i <= right; i++) {
          const x = coords[2 * i];
          const y = coords[2 * i + 1];
          if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out[count++] = i;
        }
        continue;
      }
      const m = (left + right) >> 1;
      const x = coords[2 * m];
      const y = coords[2 * m + 1];
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out[count++] = m;
      if (top + 6 > stack.length) this.stack = stack = grow32(stack);
      const v = axis === 0 ? x : y;
      if (axis === 0 ? x0 <= v : y0 <= v) {
        stack[top++] = left;
        stack[top++] = m - 1;
        stack[top++] = 1 - axis;
      }
      if (axis === 0 ? x1 >= v : y1 >= v) {
        stack[top++] = m + 1;
        stack[top++] = right;
        stack[top++] = 1 - axis;
      }
    }
    return { positions: out, count };
  }

  /** [minX, minY, maxX, maxY] of every point (normalised), or null when empty. */
  extent(): [number, number, number, number] | null {
    if (this.size === 0) return null;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const x = this.coords[2 * i];
      const y = this.coords[2 * i + 1];
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
    const { originX, originY, step } = this;
    return [originX + minX * step, originY + minY * step, originX + maxX * step, originY + maxY * step];
  }
}

function grow(a: Uint32Array, atLeast: number): Uint32Array {
  const b = new Uint32Array(Math.max(atLeast, a.length * 2));
  b.set(a);
  return b;
}

function grow32(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function sortKD(ids: Uint32Array, coords: Uint32Array, nodeSize: number, left: number, right: number, axis: number): void {
  if (right - left <= nodeSize) return;
  const m = (left + right) >> 1;
  select(ids, coords, m, left, right, axis);
  sortKD(ids, coords, nodeSize, left, m - 1, 1 - axis);
  sortKD(ids, coords, nodeSize, m + 1, right, 1 - axis);
}

/** Floyd–Rivest: rearranges [left, right] so that position k holds the k-th smallest on the axis. */
function select(ids: Uint32Array, coords: Uint32Array, k: number, left: number, right: number, axis: number): void {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      select(ids, coords, k, Math.max(left, Math.floor(k - (m * s) / n + sd)), Math.min(right, Math.floor(k + ((n - m) * s) / n + sd)), axis);
    }
    const t = coords[2 * k + axis];
    let i = left;
    let j = right;
    swap(ids, coords, left, k);
    if (coords[2 * right + axis] > t) swap(ids, coords, left, right);
    while (i < j) {
      swap(ids, coords, i, j);
      i++;
      j--;
      while (coords[2 * i + axis] < t) i++;
      while (coords[2 * j + axis] > t) j--;
    }
    if (coords[2 * left + axis] === t) swap(ids, coords, left, j);
    else {
      j++;
      swap(ids, coords, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(ids: Uint32Array, coords: Uint32Array, i: number, j: number): void {
  const id = ids[i];
  ids[i] = ids[j];
  ids[j] = id;
  const x = coords[2 * i];
  const y = coords[2 * i + 1];
  coords[2 * i] = coords[2 * j];
  coords[2 * i + 1] = coords[2 * j + 1];
  coords[2 * j] = x;
  coords[2 * j + 1] = y;
}
