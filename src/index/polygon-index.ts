import Flatbush from 'flatbush';
import type { PolygonGeometry, MultiPolygonGeometry } from '../domain/types.js';
import { ringsContain } from './flat-geometry.js';

/**
 * Point-in-polygon over many polygons, on flat typed arrays (the flatbush / which-polygon pattern):
 * bounding boxes in a packed R-tree give candidates, an exact crossing test decides.
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

  private constructor(coords: Float64Array, ringStart: Uint32Array, featRing: Uint32Array, bboxes: Float64Array) {
    this.coords = coords;
    this.ringStart = ringStart;
    this.featRing = featRing;
    this.size = featRing.length - 1;
    this.bboxes = bboxes;
    this.tree = new Flatbush(Math.max(this.size, 1));
    for (let f = 0; f < this.size; f++) {
      this.tree.add(bboxes[4 * f], bboxes[4 * f + 1], bboxes[4 * f + 2], bboxes[4 * f + 3]);
    }
    // Flatbush needs one item; an empty layer gets a placeholder that the guards below never query.
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

  /** The feature containing the point, by the boundary rule above; -1 when none does. */
  containing(x: number, y: number): number {
    let best = -1;
    if (this.size === 0) return best;
    this.tree.search(x, y, x, y, (f: number) => {
      if ((best === -1 || f < best) && this.contains(f, x, y)) best = f;
      return false;
    });
    return best;
  }

  /** All features containing the point, ascending (for overlapping layers such as zones). */
  allContaining(x: number, y: number): number[] {
    if (this.size === 0) return [];
    return this.tree.search(x, y, x, y, (f: number) => this.contains(f, x, y)).sort((a, b) => a - b);
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
