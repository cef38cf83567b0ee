import Flatbush from 'flatbush';
import type { Component, Geometry, Position } from '../domain/types.js';
import { metresPerDegree, pathDistance, ringsContain } from './flat-geometry.js';
import { HitQueue } from './hit-queue.js';

/** Shape of a component for distance purposes. */
const enum Kind { Point = 0, Line = 1, Polygon = 2 }

/** One nearby component: its index in the ComponentIndex and its distance in metres. */
export interface NearbyHit {
  index: number;
  distance: number;
}

export interface NearbyQuery {
  /** Search radius in metres. */
  radius: number;
  limit: number;
  /** Only components of this type code (major + minor). */
  typeCode?: string;
}

/** The attributes a lookup answers with; the geometry stays in the flat arrays. */
export interface ComponentRef {
  id: string;
  typeCode: string;
  name: string;
  competentUnit: string | null;
  ownerUnit: string | null;
  maintainerUnit: string | null;
  gridCode: string | null;
  state: string;
}

/**
 * Every component (point, line or polygon) in flat arrays with a flatbush tree of bounding boxes.
 *
 *   coords     x y x y …           all vertices of all parts
 *   partStart  p0 p1 … pN          first vertex of each part (line part, polygon ring, or single point)
 *   compPart   c0 c1 … cM          first part of each component
 *
 * Distances are true metres, measured on a plane scaled at the query latitude (metresPerDegree): to the
 * point, to the nearest point of a line, or 0 inside a polygon. Ties go to the smaller id. Searches walk
 * the R-tree best-first on that same scaled plane (see `walk`), so raw-degree distance never decides.
 */
export class ComponentIndex {
  readonly size: number;
  private readonly coords: Float64Array;
  private readonly partStart: Uint32Array;
  private readonly compPart: Uint32Array;
  private readonly kinds: Uint8Array;
  private readonly classOf: Uint16Array;
  private readonly classCodes: string[];
  private readonly classIndex: Map<string, number>;
  private readonly refs: ComponentRef[];
  private readonly byId: Map<string, number>;
  private readonly tree: Flatbush;
  /** Scratch queue of the best-first walk, reused by every query. */
  private readonly queue = new HitQueue();

  constructor(components: readonly Component[]) {
    const sorted = [...components].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.size = sorted.length;
    const parts = sorted.map((c) => partsOf(c.geometry));
    const vertexCount = parts.reduce((n, p) => n + p.reduce((m, part) => m + part.length, 0), 0);
    const partCount = parts.reduce((n, p) => n + p.length, 0);
    this.coords = new Float64Array(vertexCount * 2);
    this.partStart = new Uint32Array(partCount + 1);
    this.compPart = new Uint32Array(this.size + 1);
    this.kinds = new Uint8Array(this.size);
    this.classOf = new Uint16Array(this.size);
    this.classCodes = [];
    const classIndex = new Map<string, number>();
    this.tree = new Flatbush(Math.max(this.size, 1));
    let v = 0;
    let p = 0;
    sorted.forEach((c, i) => {
      this.kinds[i] = kindOf(c.geometry);
      this.compPart[i] = p;
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const part of parts[i]) {
        this.partStart[p++] = v;
        for (const [x, y] of part) {
          this.coords[2 * v] = x;
          this.coords[2 * v + 1] = y;
          v++;
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
      }
      const typeCode = c.major + c.minor;
      if (!classIndex.has(typeCode)) classIndex.set(typeCode, this.classCodes.push(typeCode) - 1);
      this.classOf[i] = classIndex.get(typeCode)!;
      this.tree.add(minX, minY, maxX, maxY);
    });
    this.partStart[p] = v;
    this.compPart[this.size] = p;
    if (this.size === 0) this.tree.add(0, 0, 0, 0);
    this.tree.finish();
    this.classIndex = classIndex;
    this.refs = sorted.map(toRef);
    this.byId = new Map(sorted.map((c, i) => [c.id, i]));
  }

  ref(i: number): ComponentRef {
    return this.refs[i];
  }

  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  /** Type codes present, for validating filters. */
  hasClass(typeCode: string): boolean {
    return this.classIndex.has(typeCode);
  }

  /** Components within `radius` metres of the point, nearest first (ties: smaller id first). */
  nearby(lon: number, lat: number, query: NearbyQuery): NearbyHit[] {
    const wanted = this.classFilter(query.typeCode);
    if (this.size === 0 || query.limit <= 0 || wanted === NO_SUCH_CLASS) return [];
    return this.walk(lon, lat, query.limit, query.radius, wanted);
  }

  /** The k nearest components however far (up to maxRadius metres), nearest first (ties: smaller id first). */
  nearest(lon: number, lat: number, k: number, options: { typeCode?: string; maxRadius?: number } = {}): NearbyHit[] {
    const wanted = this.classFilter(options.typeCode);
    if (this.size === 0 || k <= 0 || wanted === NO_SUCH_CLASS) return [];
    return this.walk(lon, lat, k, options.maxRadius ?? 20000, wanted);
  }

  /** Class number to keep (ANY_CLASS for all), or NO_SUCH_CLASS when no component has that type code. */
  private classFilter(typeCode: string | undefined): number {
    return typeCode === undefined ? ANY_CLASS : this.classIndex.get(typeCode) ?? NO_SUCH_CLASS;
  }

  /**
   * Best-first k-nearest over the flatbush tree, exact and in tie order:
   * 1. The queue holds lower bounds in metres on the scaled plane: a tree node's box distance, or a line's
   *    or polygon's (shrunk by a hair against rounding, so they stay below the exact distance).
   * 2. Pop the smallest. A node's children are measured: a component whose box is a point is that point,
   *    so its distance is exact and it is offered to the answer at once; other boxes are queued. A line
   *    or polygon popped is measured exactly and offered.
   * 3. The answer keeps the k best (distance, index) pairs; once it holds k, its k-th distance bounds the
   *    search. Stop when the smallest bound exceeds it: nothing left can enter. A bound equal to it is
   *    still opened, since it may hold a component at that distance with a smaller index.
   */
  private walk(lon: number, lat: number, k: number, maxDistance: number, wanted: number): NearbyHit[] {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return [];
    const { kx, ky } = metresPerDegree(lat);
    const { _boxes: boxes, _indices: indices, _levelBounds: levelBounds, nodeSize } = this.tree;
    const { classOf, queue } = this;
    const leafEnd = this.tree.numItems * 4;
    const best = new BestK(k, maxDistance);
    queue.clear();
    queue.push(0, nodeId(boxes.length - 4));
    while (queue.length > 0 && queue.peekKey() <= best.bound) {
      const id = queue.peekId();
      queue.pop();
      if (id & 1) {
        const i = id >> 1;
        best.offer(this.distance(i, lon, lat, kx, ky), i);
        continue;
      }
      const start = id << 1;
      const leaf = start < leafEnd;
      const end = Math.min(start + 4 * nodeSize, levelEnd(start, levelBounds));
      for (let pos = start; pos < end; pos += 4) {
        const child = indices[pos >> 2];
        if (leaf && wanted !== ANY_CLASS && classOf[child] !== wanted) continue;
        const x = boxes[pos];
        const y = boxes[pos + 1];
        if (leaf && x === boxes[pos + 2] && y === boxes[pos + 3]) {
          // A component whose box is a point is that point (all its vertices coincide). Reading it from
          // the tree's contiguous boxes spares a random read of the coordinates; the arithmetic is
          // pathDistance's, so the distance is bit-identical to distanceTo's.
          const dx = (x - lon) * kx;
          const dy = (y - lat) * ky;
          best.offer(Math.sqrt(dx * dx + dy * dy), child);
          continue;
        }
        const d = boxDistance(boxes, pos, lon, lat, kx, ky);
        if (d <= best.bound) queue.push(d, leaf ? shapeId(child) : nodeId(child));
      }
    }
    return best.hits();
  }

  /** Distance in metres from the point to component i (0 inside a polygon). */
  distanceTo(i: number, lon: number, lat: number): number {
    const { kx, ky } = metresPerDegree(lat);
    return this.distance(i, lon, lat, kx, ky);
  }

  /** A representative position of component i: the point, or the first vertex of a line/polygon. */
  anchor(i: number): Position {
    const v = this.partStart[this.compPart[i]];
    return [this.coords[2 * v], this.coords[2 * v + 1]];
  }

  private distance(i: number, lon: number, lat: number, kx: number, ky: number): number {
    const pFrom = this.compPart[i];
    const pTo = this.compPart[i + 1];
    const kind = this.kinds[i];
    if (kind === Kind.Polygon && ringsContain(this.coords, this.partStart, pFrom, pTo, lon, lat)) return 0;
    const mode = kind === Kind.Point ? 'points' : kind === Kind.Line ? 'open' : 'closed';
    let best = Infinity;
    for (let p = pFrom; p < pTo; p++) {
      const d = pathDistance(this.coords, this.partStart[p], this.partStart[p + 1], lon, lat, kx, ky, mode);
      if (d < best) best = d;
    }
    return best;
  }
}

/** classFilter's answers besides a class number. */
const ANY_CLASS = -1;
const NO_SUCH_CLASS = -2;

/** Box distances are lower bounds; shrinking them by a hair keeps them so despite rounding. */
const BOUND_SHRINK = 1 - 1e-9;

/**
 * Queue ids: a tree node whose child boxes start at box position `pos` → pos / 2 (even, as pos is a
 * multiple of 4); a line or polygon i still to measure → 2i + 1 (odd).
 */
function nodeId(pos: number): number {
  return pos >> 1;
}

function shapeId(i: number): number {
  return 2 * i + 1;
}

/** End (exclusive box position) of the tree level holding box position `pos`. */
function levelEnd(pos: number, levelBounds: readonly number[]): number {
  for (const b of levelBounds) if (b > pos) return b;
  return levelBounds[levelBounds.length - 1];
}

/** Metres from the point to the box at `pos` on the scaled plane, shrunk into a safe lower bound. */
function boxDistance(boxes: ArrayLike<number>, pos: number, lon: number, lat: number, kx: number, ky: number): number {
  const dx = lon < boxes[pos] ? boxes[pos] - lon : lon > boxes[pos + 2] ? lon - boxes[pos + 2] : 0;
  const dy = lat < boxes[pos + 1] ? boxes[pos + 1] - lat : lat > boxes[pos + 3] ? lat - boxes[pos + 3] : 0;
  const mx = dx * kx;
  const my = dy * ky;
  return Math.sqrt(mx * mx + my * my) * BOUND_SHRINK;
}

/**
 * The k nearest components found so far, sorted by distance then index (the smaller id wins a tie).
 * `bound` is the distance a newcomer must not exceed: maxDistance until k are held, then the k-th's.
 */
class BestK {
  bound: number;
  private readonly distances: number[] = [];
  private readonly indices: number[] = [];

  constructor(private readonly k: number, maxDistance: number) {
    this.bound = maxDistance;
  }

  offer(d: number, i: number): void {
    const { distances, indices, k } = this;
    if (!(d <= this.bound)) return;
    const full = distances.length === k;
    if (full && d === distances[k - 1] && i > indices[k - 1]) return;
    let j = full ? k - 1 : distances.length;
    while (j > 0 && (distances[j - 1] > d || (distances[j - 1] === d && indices[j - 1] > i))) {
      distances[j] = distances[j - 1];
      indices[j] = indices[j - 1];
      j--;
    }
    distances[j] = d;
    indices[j] = i;
    if (distances.length === k) this.bound = distances[k - 1];
  }

  hits(): NearbyHit[] {
    return this.indices.map((index, j) => ({ index, distance: this.distances[j] }));
  }
}

function kindOf(g: Geometry): Kind {
  if (g.type === 'Point' || g.type === 'MultiPoint') return Kind.Point;
  if (g.type === 'LineString' || g.type === 'MultiLineString') return Kind.Line;
  return Kind.Polygon;
}

/** Parts as vertex lists: points one vertex each, line parts, polygon rings (closing vertex dropped). */
function partsOf(g: Geometry): Position[][] {
  switch (g.type) {
    case 'Point': return [[g.coordinates]];
    case 'MultiPoint': return g.coordinates.map((p) => [p]);
    case 'LineString': return [g.coordinates];
    case 'MultiLineString': return g.coordinates;
    case 'Polygon': return g.coordinates.map(openRing);
    case 'MultiPolygon': return g.coordinates.flat().map(openRing);
  }
}

function openRing(ring: Position[]): Position[] {
  const n = ring.length;
  return n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1] ? ring.slice(0, -1) : ring;
}

function toRef(c: Component): ComponentRef {
  return {
    id: c.id, typeCode: c.major + c.minor, name: c.name, competentUnit: c.competentUnit,
    ownerUnit: c.ownerUnit, maintainerUnit: c.maintainerUnit, gridCode: c.gridCode, state: c.state,
  };
}
