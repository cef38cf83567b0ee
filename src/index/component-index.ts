import Flatbush from 'flatbush';
import type { Component, Geometry, Position } from '../domain/types.js';
import { metresPerDegree, pathDistance, ringsContain } from './flat-geometry.js';

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
 * Distances are true metres: candidates come from the R-tree with a box that covers the search circle,
 * then each candidate's distance is measured on a plane scaled at the query latitude (metresPerDegree):
 * to the point, to the nearest point of a line, or 0 inside a polygon. Ties go to the smaller id.
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
    if (this.size === 0 || query.limit <= 0) return [];
    const wanted = query.typeCode === undefined ? -1 : this.classIndex.get(query.typeCode) ?? -2;
    if (wanted === -2) return [];
    const { kx, ky } = metresPerDegree(lat);
    const dx = query.radius / kx;
    const dy = query.radius / ky;
    const hits: NearbyHit[] = [];
    this.tree.search(lon - dx, lat - dy, lon + dx, lat + dy, (i: number) => {
      if (wanted >= 0 && this.classOf[i] !== wanted) return false;
      const distance = this.distance(i, lon, lat, kx, ky);
      if (distance <= query.radius) hits.push({ index: i, distance });
      return false;
    });
    hits.sort((a, b) => a.distance - b.distance || a.index - b.index);
    return hits.length > query.limit ? hits.slice(0, query.limit) : hits;
  }

  /**
   * The k nearest components however far (up to maxRadius metres): grows the search circle until it
   * holds k components, so every answer is exact — a hit inside the circle can't be beaten by one outside.
   */
  nearest(lon: number, lat: number, k: number, options: { typeCode?: string; maxRadius?: number } = {}): NearbyHit[] {
    const maxRadius = options.maxRadius ?? 20000;
    for (let radius = 50; ; radius *= 4) {
      const r = Math.min(radius, maxRadius);
      const hits = this.nearby(lon, lat, { radius: r, limit: k, typeCode: options.typeCode });
      if (hits.length >= k || r >= maxRadius) return hits;
    }
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
