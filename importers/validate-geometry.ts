import { kinks } from '@turf/kinks';
import type { Geometry, GeometryType, Position } from '../src/domain/types.js';
import type { MappableLayer } from './field-aliases.js';
import { m2PerDeg2, partsOf, ringArea, type Polygonal } from './planar.js';
import type { ProblemInput } from './report.js';

/**
 * Per-row geometry checks: present, of a type the layer takes, finite lon/lat, enough positions, closed
 * rings, no self-intersection, some area. Cross-row checks (overlaps, gaps, containment) are in
 * validate-grids.ts and validate-component-grid.ts; they run only on geometries that pass these.
 */
export type GeometryKind = 'point' | 'line' | 'polygon';

const KIND: Record<GeometryType, GeometryKind> = {
  Point: 'point', MultiPoint: 'point', LineString: 'line', MultiLineString: 'line', Polygon: 'polygon', MultiPolygon: 'polygon',
};

export const kindOf = (g: Geometry): GeometryKind => KIND[g.type];

/** Geometry kinds each layer stores (components: any, their class decides). */
const LAYER_KINDS: Record<MappableLayer, readonly GeometryKind[]> = {
  components: ['point', 'line', 'polygon'],
  grids: ['polygon'],
  admin_areas: ['polygon'],
  zones: ['polygon'],
  addresses: ['point'],
  roads: ['line'],
};

/** Rings enclosing less than this are slivers, not polygons (a 10 cm × 10 cm square). */
const MIN_AREA_M2 = 0.01;

type Emit = (p: Omit<ProblemInput, 'row' | 'featureId'>) => void;

/** Checks one geometry; returns true when it is sound enough for the cross-row checks. */
export function checkGeometry(layer: MappableLayer, g: Geometry | null, emit: Emit): boolean {
  if (!g) {
    emit({ field: 'geometry', code: 'GEOMETRY_MISSING', message: 'The row has no geometry (a null shape or no coordinates).' });
    return false;
  }
  const kinds = LAYER_KINDS[layer];
  if (!kinds.includes(kindOf(g)) || (layer === 'addresses' && g.type !== 'Point')) {
    const allowed = layer === 'addresses' ? 'a Point' : kinds.join(' or ');
    emit({ field: 'geometry', code: 'GEOMETRY_TYPE', message: `A ${layer} row needs ${allowed} geometry; this one is a ${g.type}.` });
    return false;
  }
  return checkPositions(g, emit) && (kindOf(g) !== 'polygon' || checkPolygon(g as Polygonal, emit));
}

function positionsOf(g: Geometry): Position[][] {
  switch (g.type) {
    case 'Point': return [[g.coordinates]];
    case 'MultiPoint': case 'LineString': return [g.coordinates];
    case 'MultiLineString': case 'Polygon': return g.coordinates;
    case 'MultiPolygon': return g.coordinates.flat();
  }
}

const goodPosition = (p: unknown): boolean =>
  Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) &&
  Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;

/** Minimum positions per part: a point 1, a line 2, a ring 4 (closed triangle). */
const MIN_POSITIONS: Record<GeometryKind, number> = { point: 1, line: 2, polygon: 4 };

function checkPositions(g: Geometry, emit: Emit): boolean {
  const parts = positionsOf(g);
  for (const part of parts) {
    const bad = part.find((p) => !goodPosition(p));
    if (bad !== undefined) {
      emit({ field: 'geometry', code: 'GEOMETRY_BAD_COORDINATE', message: `Coordinate ${JSON.stringify(bad).slice(0, 60)} is not a lon/lat in CGCS2000 (wrong CRS?).` });
      return false;
    }
  }
  const min = MIN_POSITIONS[kindOf(g)];
  if (parts.length === 0 || parts.some((p) => p.length < min)) {
    emit({ field: 'geometry', code: 'GEOMETRY_EMPTY', message: `The ${g.type} has no coordinates or a part with fewer than ${min} positions.` });
    return false;
  }
  return true;
}

function checkPolygon(g: Polygonal, emit: Emit): boolean {
  const rings = partsOf(g).flat();
  const open = rings.find((r) => r[0][0] !== r[r.length - 1][0] || r[0][1] !== r[r.length - 1][1]);
  if (open) {
    emit({ field: 'geometry', code: 'GEOMETRY_RING_UNCLOSED', message: `A ring starting at ${JSON.stringify(open[0])} does not end where it starts.` });
    return false;
  }
  const crossings = selfIntersections(g);
  if (crossings.length > 0) {
    const at = crossings.slice(0, 3).map((p) => `[${p[0].toFixed(6)}, ${p[1].toFixed(6)}]`).join(', ');
    emit({ field: 'geometry', code: 'GEOMETRY_SELF_INTERSECTION', message: `The polygon's boundary crosses or touches itself at ${at}${crossings.length > 3 ? ' …' : ''}.` });
    return false;
  }
  const lat = rings[0][0][1];
  const tiny = partsOf(g).some((part) => ringArea(part[0]) * m2PerDeg2(lat) < MIN_AREA_M2);
  if (tiny) {
    emit({ field: 'geometry', code: 'GEOMETRY_ZERO_AREA', message: `A polygon part encloses less than ${MIN_AREA_M2} m².` });
    return false;
  }
  return true;
}

/**
 * Self-intersections by @turf/kinks (a sweep line, not O(n²)), after dropping repeated consecutive
 * vertices, which kinks reports but which do no harm. A hole touching its shell at one point is reported
 * too: stricter than OGC, but such a grid is almost always a digitising slip.
 */
function selfIntersections(g: Polygonal): Position[] {
  const clean = partsOf(g).map((rings) => rings.map(dedupe));
  const geometry = clean.length === 1 ? { type: 'Polygon' as const, coordinates: clean[0] } : { type: 'MultiPolygon' as const, coordinates: clean };
  return kinks(geometry).features.map((f) => f.geometry.coordinates as Position);
}

function dedupe(ring: Position[]): Position[] {
  return ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
}
