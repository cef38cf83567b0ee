/**
 * A uniform grid of buckets over a layer's extent; each bucket lists the features whose bounding boxes
 * overlap it, in ascending feature order (CSR layout, two flat arrays):
 *
 *   cellStart  s0 s1 … sC        bucket c holds items[cellStart[c] .. cellStart[c+1])
 *   items      f f f f …         feature indices, ascending within a bucket
 *
 *   ┌───┬───┬───┐   a point falls in exactly one bucket (row-major: c = cy·nx + cx), so a point query
 *   │   │ ▓▓│▓  │   reads one short list instead of walking an R-tree; the exact test stays the caller's.
 *   ├───┼───┼───┤
 *   │   │ ▓▓│▓  │
 *   └───┴───┴───┘
 *
 * Sized at ~1.5·√n buckets a side (shaped to the extent's aspect), so a bucket holds a handful of
 * candidates when features are similar in size, like unit grids. A layer of a few huge overlapping
 * polygons would list each in every bucket; the grid is coarsened until the lists stay near linear.
 */
export class BucketGrid {
  private constructor(
    private readonly minX: number,
    private readonly minY: number,
    private readonly maxX: number,
    private readonly maxY: number,
    private readonly nx: number,
    private readonly ny: number,
    /** Buckets per degree along x and y. */
    private readonly perX: number,
    private readonly perY: number,
    readonly cellStart: Int32Array,
    readonly items: Int32Array,
  ) {}

  /** Buckets over features given as bboxes (minX, minY, maxX, maxY per feature); empty boxes are skipped. */
  static build(bboxes: Float64Array): BucketGrid {
    const n = bboxes.length / 4;
    const extent = extentOf(bboxes);
    if (!extent) return new BucketGrid(0, 0, -1, -1, 1, 1, 0, 0, new Int32Array(2), new Int32Array(0));
    const [minX, minY, maxX, maxY] = extent;
    const w = maxX - minX;
    const h = maxY - minY;
    const cells = Math.max(1, Math.round(2.25 * n));
    let nx = w > 0 && h > 0 ? Math.max(1, Math.round(Math.sqrt((cells * w) / h))) : w > 0 ? cells : 1;
    let ny = w > 0 && h > 0 ? Math.max(1, Math.round(cells / nx)) : h > 0 ? cells : 1;
    // A single bucket lists each feature at most once, so the loop ends.
    for (;;) {
      const grid = BucketGrid.fill(bboxes, minX, minY, maxX, maxY, nx, ny);
      if (grid) return grid;
      nx = Math.max(1, nx >> 1);
      ny = Math.max(1, ny >> 1);
    }
  }

  /**
   * Counts, then fills, the buckets; null when the lists would exceed `maxItems` (the grid is then
   * too fine for the features' sizes).
   */
  private static fill(
    bboxes: Float64Array, minX: number, minY: number, maxX: number, maxY: number, nx: number, ny: number,
  ): BucketGrid | null {
    const maxItems = 16 * (bboxes.length / 4) + 65536;
    const perX = maxX > minX ? nx / (maxX - minX) : 0;
    const perY = maxY > minY ? ny / (maxY - minY) : 0;
    const grid = new BucketGrid(minX, minY, maxX, maxY, nx, ny, perX, perY, new Int32Array(nx * ny + 1), new Int32Array(0));
    const counts = grid.cellStart;
    let total = 0;
    grid.forEachCell(bboxes, (_f, c) => {
      counts[c + 1]++;
      total++;
    });
    if (total > maxItems) return null;
    for (let c = 0; c < nx * ny; c++) counts[c + 1] += counts[c];
    const items = new Int32Array(total);
    const next = counts.slice(0, nx * ny);
    // Features in ascending order, so every bucket's list is ascending: a point query can stop at the
    // first feature that contains the point and still honour the lowest-index tie-break.
    grid.forEachCell(bboxes, (f, c) => {
      items[next[c]++] = f;
    });
    return new BucketGrid(minX, minY, maxX, maxY, nx, ny, perX, perY, counts, items);
  }

  /** The bucket of a point, or -1 outside the layer's extent. */
  cellOf(x: number, y: number): number {
    if (!(x >= this.minX && x <= this.maxX && y >= this.minY && y <= this.maxY)) return -1;
    return this.row(y) * this.nx + this.column(x);
  }

  private column(x: number): number {
    const c = Math.floor((x - this.minX) * this.perX);
    return c < this.nx ? c : this.nx - 1;
  }

  private row(y: number): number {
    const r = Math.floor((y - this.minY) * this.perY);
    return r < this.ny ? r : this.ny - 1;
  }

  /** Calls back once per (feature, bucket) pair its bbox overlaps, features ascending. */
  private forEachCell(bboxes: Float64Array, each: (f: number, c: number) => void): void {
    for (let f = 0, n = bboxes.length / 4; f < n; f++) {
      const bMinX = bboxes[4 * f];
      const bMaxX = bboxes[4 * f + 2];
      if (!(bMinX <= bMaxX)) continue;
      // The same column/row functions as a query, so a point inside the bbox always finds f in its bucket.
      const x0 = this.column(Math.max(bMinX, this.minX));
      const x1 = this.column(Math.min(bMaxX, this.maxX));
      const y0 = this.row(Math.max(bboxes[4 * f + 1], this.minY));
      const y1 = this.row(Math.min(bboxes[4 * f + 3], this.maxY));
      for (let r = y0; r <= y1; r++) for (let c = x0; c <= x1; c++) each(f, r * this.nx + c);
    }
  }
}

/** The union of the non-empty bboxes, or null when there is none. */
function extentOf(bboxes: Float64Array): [number, number, number, number] | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < bboxes.length; i += 4) {
    if (!(bboxes[i] <= bboxes[i + 2])) continue;
    if (bboxes[i] < minX) minX = bboxes[i];
    if (bboxes[i + 1] < minY) minY = bboxes[i + 1];
    if (bboxes[i + 2] > maxX) maxX = bboxes[i + 2];
    if (bboxes[i + 3] > maxY) maxY = bboxes[i + 3];
  }
  return minX <= maxX ? [minX, minY, maxX, maxY] : null;
}
