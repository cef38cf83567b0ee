/**
 * Points projected once and kept in k-d order, KDBush-style: the coordinates are the index.
 *
 *   coords   X Y X Y …   normalised Web Mercator [0, 1], y down, sorted into a k-d tree in place
 *   item     i i …       per k-d position: the caller's item number (its row)
 *
 * A point is its own bounding box and anchor, so nothing else is stored: 20 bytes a point, where a
 * bbox + anchor + R-tree entry per point cost ~90. Positions (not item numbers) come out of `range`, so
 * callers read a point's coordinates at `coords[2 * pos]` without another lookup.
 *
 * Build (mourner/kdbush): recursively split the positions at the median of x, then y, then x … with
 * Floyd–Rivest selection, until a span holds at most nodeSize points. Query: walk the implicit tree
 * with an explicit stack, scanning leaves whole.
 */
export class PointIndex {
  readonly size: number;
  readonly coords: Float64Array;
  readonly item: Uint32Array;
  private readonly nodeSize: number;

  /** `xy` holds X Y per item (normalised); it is copied, then sorted. */
  constructor(xy: Float64Array, nodeSize = 64) {
    this.size = xy.length >> 1;
    this.coords = Float64Array.from(xy);
    this.item = new Uint32Array(this.size);
    for (let i = 0; i < this.size; i++) this.item[i] = i;
    this.nodeSize = nodeSize;
    sortKD(this.item, this.coords, nodeSize, 0, this.size - 1, 0);
  }

  /** Calls visit(pos) for every point inside the box (edges included), in tree order. */
  range(minX: number, minY: number, maxX: number, maxY: number, visit: (pos: number) => void): void {
    if (this.size === 0) return;
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
          if (x >= minX && x <= maxX && y >= minY && y <= maxY) visit(i);
        }
        continue;
      }
      const m = (left + right) >> 1;
      const x = coords[2 * m];
      const y = coords[2 * m + 1];
      if (x >= minX && x <= maxX && y >= minY && y <= maxY) visit(m);
      const v = axis === 0 ? x : y;
      if (axis === 0 ? minX <= v : minY <= v) stack.push(left, m - 1, 1 - axis);
      if (axis === 0 ? maxX >= v : maxY >= v) stack.push(m + 1, right, 1 - axis);
    }
  }

  /** [minX, minY, maxX, maxY] of every point, or null when empty. */
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
    return [minX, minY, maxX, maxY];
  }
}

function sortKD(ids: Uint32Array, coords: Float64Array, nodeSize: number, left: number, right: number, axis: number): void {
  if (right - left <= nodeSize) return;
  const m = (left + right) >> 1;
  select(ids, coords, m, left, right, axis);
  sortKD(ids, coords, nodeSize, left, m - 1, 1 - axis);
  sortKD(ids, coords, nodeSize, m + 1, right, 1 - axis);
}

/** Floyd–Rivest: rearranges [left, right] so that position k holds the k-th smallest on the axis. */
function select(ids: Uint32Array, coords: Float64Array, k: number, left: number, right: number, axis: number): void {
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

function swap(ids: Uint32Array, coords: Float64Array, i: number, j: number): void {
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
