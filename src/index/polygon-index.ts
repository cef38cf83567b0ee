import Flatbush from 'flatbush';
import type { PolygonGeometry, MultiPolygonGeometry } from '../domain/types.js';
import { ringsContain } from './flat-geometry.js';
import { BucketGrid } from './bucket-grid.js';

/** The answer of allContaining for a point in no feature, shared (frozen, so no caller can fill it). */
const NONE: readonly number[] = Object.freeze([]);

/**
 * Point-in-polygon over many polygons, on flat typed arrays (the flatbush / which-polygon pattern):
 * candidates, a bbox check, then an exact crossing test. Point queries take their candidates from a
 * uniform bucket grid (one bucket per point, see bucket-grid.ts); box queries from a packed R-tree.
 *
 * Layout (built once, never mutated):
 *
 *   coords      x0 y0 x1 y1 …            every ring's vertices, without the repeated closing vertex
 *   ringStart   r0 r1 r2 … rN            vertex index where ring r starts (ringStart[N] = vertex count)
 *   featRing    f0 f1 … fM               first ring of feature f (featRing[M] = ring count)
 *
 * A feature's rings (outer rings and holes of all its parts) are tested together with the even–odd
 * rule, so holes and multi-part polygons need no special case.
 *
 * Boundary rule (documented in docs/architecture.md): a point on an edge shared by two polygons belongs
 * to exactly one of them — the one east of the edge, or for an east–west edge the one north of it.
 * This falls out of the half-open crossing test below, provided both polygons compute the crossing of
 * the shared edge with bit-identical arithmetic; so the edge's endpoints are always taken south-first,
 * whatever direction each ring walks the edge in. Should overlapping data still make several polygons
 * match, the lowest feature index wins (layers are built in code order, so: the smallest code).
 */
export class PolygonIndex {
  readonly size: number;
  private readonly coords: Float64Array;
  private readonly ringStart: Uint32Array;
  private readonly featRing: Uint32Array;
  private readonly tree: Flatbush;
  private readonly bboxes: Float64Array;
  private readonly buckets: BucketGrid;

  private constructor(coords: Float64Array, ringStart: Uint32Array, featRing: Uint32Array, bboxes: Float64Array) {
    this.coords = coords;
    this.ringStart = ringStart;
    this.featRing = featRing;
    this.size = featRing.length - 1;
    this.bboxes = bboxes;
    this.buckets = BucketGrid.build(bboxes);
    this.tree = new Flatbush(Math.max(this.size, 1));
    for (let f = 0; f < this.size; f++) {
      this.tree.add(bboxes[4 * f], bboxes[4 * f + 1], bboxes[4 * f + 2], bboxes[4 * f + 3]);
    }
    // Flatbush needs one item; an empty layer gets a placeholder that search() never queries.
    if (this.size === 0) this.tree.add(0, 0, 0, 0);
    this.tree.finish();
  }

  /** Flattens the polygons once; feature i of the index is geometries[i]. */
  static build(geometries: ReadonlyArray<PolygonGeometry | MultiPolygonGeometry>): PolygonIndex {
    const rings = geometries.map(ringsOf);
    let vertexCount = 0;
    let ringCount = 0;
    for (const fr of rings) {
      ringCount += fr.length;
      for (const ring of fr) vertexCount += openLength(ring);
    }
    const coords = new Float64Array(vertexCount * 2);
    const ringStart = new Uint32Array(ringCount + 1);
    const featRing = new Uint32Array(rings.length + 1);
    const bboxes = new Float64Array(rings.length * 4);
    let v = 0;
    let r = 0;
    rings.forEach((featureRings, f) => {
      featRing[f] = r;
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const ring of featureRings) {
        ringStart[r++] = v;
        for (let i = 0, n = openLength(ring); i < n; i++, v++) {
          const [x, y] = ring[i];
          coords[2 * v] = x;
          coords[2 * v + 1] = y;
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
      }
      bboxes.set([minX, minY, maxX, maxY], 4 * f);
    });
    ringStart[ringCount] = v;
    featRing[rings.length] = ringCount;
    return new PolygonIndex(coords, ringStart, featRing, bboxes);
  }

  /**
   * The feature containing the point, by the boundary rule above; -1 when none does.
   * 1. the point's bucket lists the candidates, ascending; 2. a bbox check drops most of them;
   * 3. the crossing test decides, and the first hit is the lowest index (the overlap tie-break).
   */
  containing(x: number, y: number): number {
    const c = this.buckets.cellOf(x, y);
    if (c < 0) return -1;
    const { cellStart, items } = this.buckets;
    for (let k = cellStart[c], end = cellStart[c + 1]; k < end; k++) {
      const f = items[k];
      if (this.inBbox(f, x, y) && this.contains(f, x, y)) return f;
    }
    return -1;
  }

  /** All features containing the point, ascending (for overlapping layers such as zones). */
  allContaining(x: number, y: number): readonly number[] {
    // Most points are in no zone: they share one empty list instead of each making one.
    let found: number[] | null = null;
    const c = this.buckets.cellOf(x, y);
    if (c < 0) return NONE;
    const { cellStart, items } = this.buckets;
    for (let k = cellStart[c], end = cellStart[c + 1]; k < end; k++) {
      const f = items[k];
      if (this.inBbox(f, x, y) && this.contains(f, x, y)) (found ??= []).push(f);
    }
    return found ?? NONE;
  }

  /** Whether the point lies in feature f's bbox, edges included (a superset of `contains`). */
  private inBbox(f: number, x: number, y: number): boolean {
    const b = this.bboxes;
    return x >= b[4 * f] && x <= b[4 * f + 2] && y >= b[4 * f + 1] && y <= b[4 * f + 3];
  }

  /** Exact even–odd crossing test of one feature, by the boundary rule. */
  contains(f: number, x: number, y: number): boolean {
    return ringsContain(this.coords, this.ringStart, this.featRing[f], this.featRing[f + 1], x, y);
  }

  /** Bounding box of feature f as [minX, minY, maxX, maxY]. */
  bbox(f: number): [number, number, number, number] {
    const b = this.bboxes;
    return [b[4 * f], b[4 * f + 1], b[4 * f + 2], b[4 * f + 3]];
  }

  /** Features whose bounding boxes intersect the box (for tiles and area queries). */
  search(minX: number, minY: number, maxX: number, maxY: number): number[] {
    return this.size === 0 ? [] : this.tree.search(minX, minY, maxX, maxY);
  }
}

function ringsOf(g: PolygonGeometry | MultiPolygonGeometry): Array<Array<[number, number]>> {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** Ring length without the closing vertex that repeats the first. */
function openLength(ring: ReadonlyArray<[number, number]>): number {
  const n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) return n - 1;
  return n;
}
