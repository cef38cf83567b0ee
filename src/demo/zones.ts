import type { ClassEntry, Position, Zone } from '../domain/types.js';
import type { AdminFrame } from './admin.js';
import { distanceToRing, pointInPolygon, signedArea, type XY } from './geometry.js';
import { cellCorners, vertexXY, type Lattice } from './lattice.js';
import { OUTSIDE } from './partition.js';
import type { Rng } from './prng.js';
import type { UnitRegistry } from './units.js';

/**
 * 责任区: areas whose cases go to a unit other than the territorial one. Real zones do not follow
 * grid edges, so these are smooth free-form polygons centred on a point where two communities
 * meet (each zone straddles a community boundary). The park has a hole: an enclave (a school) it
 * does not manage.
 */
export interface ZoneFrame {
  zone: Zone;
  /** Local rings (outer CCW, holes CW), open. */
  rings: XY[][];
  /** Whether the zone's unit owns and maintains components of a class inside it. */
  ownsComponents(c: ClassEntry): boolean;
}

interface ZoneSpec {
  name: string;
  kind: string;
  unitKind: string;
  street: number;
  /** Half extents in metres at full size. */
  rx: number;
  ry: number;
  shape: 'blob' | 'octagon';
  hole: boolean;
  classes: (c: ClassEntry) => boolean;
}

const isEvent = (majors: string[]) => (c: ClassEntry) => c.category === 'event' && majors.includes(c.major);
const isComponent = (majors: string[]) => (c: ClassEntry) => c.category === 'component' && majors.includes(c.major);

const ZONE_SPECS: readonly ZoneSpec[] = [
  { name: '望江公园', kind: 'park', unitKind: 'park_office', street: 3, rx: 330, ry: 230, shape: 'blob', hole: true,
    classes: (c) => isEvent(['01'])(c) || isComponent(['04'])(c) },
  { name: '钱江科技园区', kind: 'development_zone', unitKind: 'zone_committee', street: 1, rx: 560, ry: 420, shape: 'octagon', hole: false,
    classes: () => false },
  { name: '南宋皇城遗址景区', kind: 'scenic_area', unitKind: 'scenic_office', street: 2, rx: 300, ry: 220, shape: 'blob', hole: false,
    classes: (c) => isEvent(['01', '02', '05'])(c) || isComponent(['03', '04'])(c) },
];

/** Metres a zone keeps from the district outline. */
const MARGIN_M = 15;

export function buildZones(rng: Rng, lat: Lattice, admin: AdminFrame, units: UnitRegistry, classes: readonly ClassEntry[], scale: number): ZoneFrame[] {
  const out: ZoneFrame[] = [];
  // Small demo cities get proportionally smaller zones.
  const size = Math.min(1, 0.3 + Math.sqrt(scale));
  for (const spec of ZONE_SPECS) {
    let fitted: XY[][] | null = null;
    for (const anchor of anchorPoints(rng, lat, admin, spec.street).slice(0, 5)) {
      fitted = fitRings(rng, spec, anchor, admin.districtXY, size);
      if (fitted) break;
    }
    if (!fitted) continue;
    // Snap to the published coordinates so later inside tests agree with the stored polygon.
    const rings = fitted.map((ring) => ring.map(([x, y]) => lat.proj.snap(x, y)));
    // Zone.classes lists event classes only: component and event type codes collide (0101 is both
    // 上水井盖 and 私搭乱建), and a zone steers events; the components it owns carry their owner themselves.
    const codes = classes.filter((c) => c.category === 'event' && spec.classes(c)).map((c) => c.typeCode);
    out.push({
      rings,
      ownsComponents: (c) => c.category === 'component' && spec.classes(c),
      zone: {
        id: `Z${String(out.length + 1).padStart(3, '0')}`,
        name: spec.name,
        kind: spec.kind,
        responsibleUnit: units.byKind(spec.unitKind).code,
        classes: [...new Set(codes)].sort(),
        geometry: { type: 'Polygon', coordinates: rings.map((ring) => closed(ring.map(([x, y]) => lat.proj.toLonLat(x, y)))) },
      },
    });
  }
  return out;
}

function closed(ring: Position[]): Position[] {
  return [...ring, [ring[0][0], ring[0][1]]];
}

/**
 * Midpoints of edges between two communities of the street, deepest inside the street first
 * (depth in cells, by breadth-first search from every cell outside the street; ties at random).
 */
function anchorPoints(rng: Rng, lat: Lattice, admin: AdminFrame, street: number): XY[] {
  const cellStreet = (cell: number) => (admin.cellCommunity[cell] === OUTSIDE ? OUTSIDE : admin.communities[admin.cellCommunity[cell]].street);
  const depth = depthInside(lat, (cell) => cellStreet(cell) === street);
  const found: { cell: number; depth: number; tie: number }[] = [];
  for (let cell = 0; cell < depth.length; cell++) {
    const east = cell + 1;
    if (cell % lat.nx === lat.nx - 1 || cellStreet(cell) !== street || cellStreet(east) !== street) continue;
    if (admin.cellCommunity[cell] === admin.cellCommunity[east]) continue;
    found.push({ cell, depth: Math.min(depth[cell], depth[east]), tie: rng.next() });
  }
  found.sort((a, b) => b.depth - a.depth || b.tie - a.tie);
  return found.map(({ cell }) => {
    const [, se, ne] = cellCorners(lat, cell);
    const a = vertexXY(lat, se);
    const b = vertexXY(lat, ne);
    return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  });
}

function depthInside(lat: Lattice, inside: (cell: number) => boolean): Int32Array {
  const depth = new Int32Array(lat.nx * lat.ny).fill(-1);
  const queue: number[] = [];
  for (let cell = 0; cell < depth.length; cell++) {
    const c = cell % lat.nx;
    const r = Math.floor(cell / lat.nx);
    const edge = c === 0 || r === 0 || c === lat.nx - 1 || r === lat.ny - 1;
    if (!inside(cell) || edge) {
      depth[cell] = inside(cell) ? 1 : 0;
      queue.push(cell);
    }
  }
  for (let k = 0; k < queue.length; k++) {
    const cell = queue[k];
    const c = cell % lat.nx;
    for (const n of [c > 0 ? cell - 1 : -1, c < lat.nx - 1 ? cell + 1 : -1, cell - lat.nx, cell + lat.nx]) {
      if (n < 0 || n >= depth.length || depth[n] >= 0) continue;
      depth[n] = depth[cell] + 1;
      queue.push(n);
    }
  }
  return depth;
}

/** The zone's rings around the anchor, shrunk until they sit inside the district with a margin. */
function fitRings(rng: Rng, spec: ZoneSpec, [ax, ay]: XY, district: XY[][], start: number): XY[][] | null {
  const angle = rng.range(-0.4, 0.4);
  const wobble = [rng.range(0, 2 * Math.PI), rng.range(0, 2 * Math.PI)];
  const holeAt: XY = [rng.range(-0.35, 0.35), rng.range(-0.3, 0.3)];
  for (let size = start; size > 0.1; size *= 0.85) {
    const place = (u: number, v: number): XY => {
      const x = u * spec.rx * size;
      const y = v * spec.ry * size;
      return [ax + x * Math.cos(angle) - y * Math.sin(angle), ay + x * Math.sin(angle) + y * Math.cos(angle)];
    };
    const outer = (spec.shape === 'blob' ? blob(wobble) : octagon()).map(([u, v]) => place(u, v));
    const rings = [outer];
    if (spec.hole) rings.push(blob(wobble, 12, 0.05).map(([u, v]) => place(holeAt[0] + u * 0.22, holeAt[1] + v * 0.3)).reverse());
    if (rings.every((ring) => ring.every(([x, y]) => pointInPolygon(x, y, district) && distanceToRing(x, y, district[0]) > MARGIN_M))) {
      if (signedArea(outer) <= 0) throw new Error('demo zones: outer ring must be counter-clockwise');
      return rings;
    }
  }
  return null;
}

/** A smooth irregular closed curve around the unit circle, counter-clockwise. */
function blob(wobble: number[], n = 28, amplitude = 0.12): XY[] {
  return Array.from({ length: n }, (_, k): XY => {
    const t = (2 * Math.PI * k) / n;
    const r = 1 + amplitude * (Math.sin(2 * t + wobble[0]) + 0.6 * Math.sin(3 * t + wobble[1]));
    return [r * Math.cos(t), r * Math.sin(t)];
  });
}

/** A rectangle with cut corners, counter-clockwise. */
function octagon(): XY[] {
  const c = 0.3;
  return [[-1 + c, -1], [1 - c, -1], [1, -1 + c], [1, 1 - c], [1 - c, 1], [-1 + c, 1], [-1, 1 - c], [-1, -1 + c]];
}
