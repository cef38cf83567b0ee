import { PolygonIndex } from '../src/index/polygon-index.js';
import type { Geometry, Position } from '../src/domain/types.js';
import { distanceToBoundary, partsOf, type Polygonal } from './planar.js';
import type { ProblemInput } from './report.js';

/**
 * "Component inside the grid it claims" (standards §8, BGID): one PolygonIndex over the known grids,
 * built once, then per component a map lookup and an exact crossing test — constant work per row, so a
 * million components cost a million point tests, not a million × grids.
 *
 * A point on the shared edge of two grids belongs to one of them by the index's boundary rule; the other
 * grid is still a fair claim, so a point within `toleranceM` of its claimed grid passes. A line or
 * polygon passes when it touches its grid at all (a guard-rail may run through three grids).
 */
export interface GridRef {
  code: string;
  geometry: Polygonal;
}

type Emit = (p: Omit<ProblemInput, 'row' | 'featureId'>) => void;

export class ComponentGridCheck {
  private readonly index: PolygonIndex;
  private readonly byCode = new Map<string, number>();
  private readonly grids: readonly GridRef[];

  constructor(grids: readonly GridRef[], private readonly toleranceM: number) {
    // Sorted by code, so that overlapping grids resolve to the smallest code, as in the live index.
    this.grids = [...grids].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    this.grids.forEach((g, i) => this.byCode.set(g.code, i));
    this.index = PolygonIndex.build(this.grids.map((g) => g.geometry));
  }

  get size(): number {
    return this.grids.length;
  }

  check(gridCode: string, g: Geometry, emit: Emit): void {
    const f = this.byCode.get(gridCode);
    if (f === undefined) {
      emit({ field: 'gridCode', code: 'COMPONENT_GRID_UNKNOWN', message: `Grid ${gridCode} is not among the ${this.grids.length} known grids.` });
      return;
    }
    // A point is one vertex: tested without building the vertex list (most components are points).
    if (g.type === 'Point' ? this.near(f, g.coordinates[0], g.coordinates[1]) : verticesOf(g).some(([x, y]) => this.near(f, x, y))) return;
    const vertices = verticesOf(g);
    if (g.type !== 'Point' && g.type !== 'MultiPoint' && this.touches(f, g)) return;
    const [x, y] = vertices[0];
    const actual = this.index.containing(x, y);
    const where = actual >= 0 ? `it lies in grid ${this.grids[actual].code}` : 'it lies in no known grid';
    emit({ field: 'gridCode', code: 'COMPONENT_OUTSIDE_GRID', message: `The component is not in grid ${gridCode} that it names; ${where}.` });
  }

  /** Inside by the crossing test, or within the tolerance of the grid's boundary. */
  private near(f: number, x: number, y: number): boolean {
    if (this.index.contains(f, x, y)) return true;
    const [minX, minY, maxX, maxY] = this.index.bbox(f);
    const pad = this.toleranceM / 50_000; // degrees: a degree of longitude is over 50 km below 63° N
    if (x < minX - pad || x > maxX + pad || y < minY - pad || y > maxY + pad) return false;
    return distanceToBoundary(this.grids[f].geometry, x, y) <= this.toleranceM;
  }

  /** A line or polygon without a vertex in the grid: a grid vertex inside it, or edges that cross. */
  private touches(f: number, g: Geometry): boolean {
    const grid = this.grids[f].geometry;
    if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
      const solo = PolygonIndex.build([g]);
      if (verticesOf(grid).some(([x, y]) => solo.contains(0, x, y))) return true;
    }
    return edgesCross(segmentsOf(g), segmentsOf(grid));
  }
}

function verticesOf(g: Geometry): Position[] {
  switch (g.type) {
    case 'Point': return [g.coordinates];
    case 'MultiPoint': case 'LineString': return g.coordinates;
    case 'MultiLineString': case 'Polygon': return g.coordinates.flat();
    case 'MultiPolygon': return g.coordinates.flat(2);
  }
}

function segmentsOf(g: Geometry): Position[][] {
  switch (g.type) {
    case 'LineString': return [g.coordinates];
    case 'MultiLineString': return g.coordinates;
    case 'Polygon': case 'MultiPolygon': return partsOf(g).flat();
    default: return [];
  }
}

const orient = (a: Position, b: Position, c: Position) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));

/** Any segment of one path set properly crossing one of the other (small sets: a component and a grid). */
function edgesCross(a: Position[][], b: Position[][]): boolean {
  for (const pa of a) for (let i = 0; i + 1 < pa.length; i++) {
    for (const pb of b) for (let j = 0; j + 1 < pb.length; j++) {
      const [p, q, r, s] = [pa[i], pa[i + 1], pb[j], pb[j + 1]];
      if (orient(p, q, r) * orient(p, q, s) < 0 && orient(r, s, p) * orient(r, s, q) < 0) return true;
    }
  }
  return false;
}
