import type { ClassEntry, Component, Geometry, Position } from '../domain/types.js';
import { drawAttributes } from './attributes.js';
import { spotAt, type CityFrame, type Spot } from './frame.js';
import { centroid, pointInPolygon, signedArea, type XY } from './geometry.js';
import { partiesFor } from './ownership.js';
import type { Rng } from './prng.js';
import type { UnitRegistry } from './units.js';
import type { ZoneFrame } from './zones.js';

/**
 * Turns placements into component records: checks the class exists and allows the geometry kind,
 * finds the grid exactly, numbers the id per class (330102 + major + minor + 000001…), and draws
 * units, state, dates and extras. Placements that land in the river, on a grid edge, or (for lines
 * and polygons) across two grids are dropped, so every record has exactly one grid.
 */
export interface ComponentSink {
  has(typeCode: string): boolean;
  point(typeCode: string, x: number, y: number, extra?: Record<string, unknown>): Spot | null;
  shape(typeCode: string, kind: 'line' | 'polygon', points: XY[], extra?: Record<string, unknown>): boolean;
  readonly components: Component[];
}

const GEOMETRY_KIND = { Point: 'point', LineString: 'line', Polygon: 'polygon' } as const;

export function createSink(rng: Rng, frame: CityFrame, classes: readonly ClassEntry[], units: UnitRegistry, zones: readonly ZoneFrame[], countyCode: string): ComponentSink {
  const byCode = new Map(classes.filter((c) => c.category === 'component').map((c) => [c.typeCode, c]));
  const sequence = new Map<string, number>();
  const components: Component[] = [];
  const zoneBoxes = zones.map((z) => bbox(z.rings[0]));
  const zoneAt = (x: number, y: number): ZoneFrame | null => {
    const k = zones.findIndex((z, i) => inBox(zoneBoxes[i], x, y) && pointInPolygon(x, y, z.rings));
    return k < 0 ? null : zones[k];
  };

  const record = (c: ClassEntry, geometry: Geometry, spot: Spot, at: XY, extra: Record<string, unknown>): boolean => {
    const kind = GEOMETRY_KIND[geometry.type as keyof typeof GEOMETRY_KIND];
    if (!c.geometryKinds.includes(kind)) return false;
    const seq = (sequence.get(c.typeCode) ?? 0) + 1;
    if (seq > 999_999) throw new Error(`demo: more than 999999 components of class ${c.typeCode}`);
    sequence.set(c.typeCode, seq);
    const street = frame.admin.streets[spot.street].code;
    const attrs = drawAttributes(rng, c, extra);
    components.push({
      id: `${countyCode}${c.major}${c.minor}${String(seq).padStart(6, '0')}`,
      major: c.major,
      minor: c.minor,
      name: c.name,
      ...partiesFor(rng, units, c, street, zoneAt(at[0], at[1])),
      gridCode: frame.grids.grids[spot.grid].code,
      state: attrs.state,
      initialDate: attrs.initialDate,
      changedDate: attrs.changedDate,
      dataSource: '实测',
      note: attrs.note,
      extra: attrs.extra,
      geometry,
    });
    return true;
  };

  return {
    components,
    has: (typeCode) => byCode.has(typeCode),
    point(typeCode, x, y, extra = {}) {
      const c = byCode.get(typeCode);
      const spot = c ? spotAt(frame, x, y) : null;
      if (!c || !spot) return null;
      return record(c, { type: 'Point', coordinates: spot.position }, spot, [spot.x, spot.y], extra) ? spot : null;
    },
    shape(typeCode, kind, points, extra = {}) {
      const c = byCode.get(typeCode);
      if (!c) return false;
      const spots = points.map(([x, y]) => spotAt(frame, x, y, 0.3));
      const first = spots[0];
      if (!first || spots.some((s) => !s || s.cell !== first.cell)) return false;
      const coords = spots.map((s): Position => s!.position);
      const geometry: Geometry = kind === 'line' ? { type: 'LineString', coordinates: coords } : { type: 'Polygon', coordinates: [ccwClosed(coords, spots as Spot[])] };
      return record(c, geometry, first, centroid(spots.map((s): XY => [s!.x, s!.y])), extra);
    },
  };
}

function ccwClosed(coords: Position[], spots: Spot[]): Position[] {
  const ring = signedArea(spots.map((s): XY => [s.x, s.y])) > 0 ? coords : [...coords].reverse();
  return [...ring, [ring[0][0], ring[0][1]]];
}

function bbox(ring: readonly XY[]): [number, number, number, number] {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function inBox(b: [number, number, number, number], x: number, y: number): boolean {
  return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
}
