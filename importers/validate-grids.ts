import Flatbush from 'flatbush';
import { PolygonIndex } from '../src/index/polygon-index.js';
import {
  bboxOf, boxOverlap, difference, intersection, m2PerDeg2, partsOf, polygonArea, whereIs, type Box, type Polygonal,
} from './planar.js';
import type { ProblemInput } from './report.js';

/**
 * Grid topology (standards §1.2: full coverage, no overlaps, nested in one community):
 *
 *   1. overlaps — pairs whose boxes overlap (flatbush), then the exact shared area (polygon clipping);
 *      a pair counts when it shares more than `overlapM2`. Neighbours sharing an edge share 0 m².
 *   2. crossing the community — the area of a grid outside its community's polygon; a grid whose box
 *      no community edge enters is wholly inside or outside, decided by one point test, no clipping.
 *   3. gaps — community area − Σ (grid ∩ community) + Σ overlaps inside it (inclusion–exclusion to the
 *      second order: exact unless three grids overlap at one place, which step 1 already reports).
 *
 *        ┌──────────┬──────────┐      community ─ ─ ─
 *        │  grid A  │  grid B  │      gap = what no grid covers
 *        ├──────────┼───┐ gap  │
 *        │  grid C  │ D │      │
 *        └──────────┴───┴──────┘
 *
 * File grids are checked against each other and against `kept` grids (the store's grids an update keeps);
 * problems among kept grids alone are not this import's and are not reported.
 */
export interface TopologyGrid {
  /** Source row; null for a grid kept from the store. */
  row: number | null;
  code: string;
  communityCode: string;
  geometry: Polygonal;
}

export interface TopologyTolerances {
  overlapM2: number;
  gapM2: number;
  outsideM2: number;
}

type Emit = (p: ProblemInput) => void;

interface Item extends TopologyGrid {
  box: Box;
  /** Area in square degrees. */
  area: number;
}

const fmt = (m2: number) => (m2 >= 100 ? m2.toFixed(0) : m2.toFixed(1));
const midLat = (b: Box) => (b[1] + b[3]) / 2;

export function checkGridTopology(
  grids: readonly TopologyGrid[], communities: ReadonlyMap<string, Polygonal>, tol: TopologyTolerances, emit: Emit,
): void {
  const items: Item[] = grids.map((g) => ({ ...g, box: bboxOf(g.geometry), area: polygonArea(g.geometry) }));
  if (!items.some((g) => g.row !== null)) return;
  const overlapIn = overlaps(items, tol, emit);
  const byCommunity = new Map<string, Item[]>();
  for (const g of items) {
    const list = byCommunity.get(g.communityCode);
    if (list) list.push(g);
    else byCommunity.set(g.communityCode, [g]);
  }
  for (const [code, members] of byCommunity) {
    const fileRows = members.filter((g) => g.row !== null);
    if (fileRows.length === 0) continue;
    const polygon = communities.get(code);
    if (!polygon) {
      const message = `Community ${code} has no polygon among the admin areas, so its grids' containment and gaps were not checked.`;
      emit({ row: fileRows[0].row, featureId: code, field: 'communityCode', code: 'GRID_COMMUNITY_NO_POLYGON', message });
      continue;
    }
    community(code, polygon, members, overlapIn.get(code) ?? 0, tol, emit);
  }
}

/** Step 1. Returns the overlap area (square degrees) inside each community, for step 3. */
function overlaps(items: readonly Item[], tol: TopologyTolerances, emit: Emit): Map<string, number> {
  const tree = new Flatbush(Math.max(items.length, 1));
  for (const g of items) tree.add(...g.box);
  if (items.length === 0) tree.add(0, 0, 0, 0);
  tree.finish();
  const inside = new Map<string, number>();
  items.forEach((a, i) => {
    if (a.row === null) return;
    for (const j of tree.search(...a.box)) {
      const b = items[j];
      // Each pair of file grids once; a kept grid is only ever the other side.
      if (j === i || (b.row !== null && j < i)) continue;
      const scale = m2PerDeg2(midLat(a.box));
      if (boxOverlap(a.box, b.box) * scale <= tol.overlapM2) continue;
      const shared = polygonArea(intersection(a.geometry, b.geometry));
      if (shared * scale <= tol.overlapM2) continue;
      if (a.communityCode === b.communityCode) inside.set(a.communityCode, (inside.get(a.communityCode) ?? 0) + shared);
      const [later, other] = b.row !== null && b.row > a.row! ? [b, a] : [a, b];
      const message = `Grid ${later.code} overlaps grid ${other.code}${other.row === null ? ' (in the store)' : ` (row ${other.row})`} by ${fmt(shared * scale)} m².`;
      emit({ row: later.row, featureId: later.code, field: 'geometry', code: 'GRID_OVERLAP', message });
    }
  });
  return inside;
}

/** Steps 2 and 3 for one community. */
function community(code: string, polygon: Polygonal, members: readonly Item[], overlap: number, tol: TopologyTolerances, emit: Emit): void {
  const scale = m2PerDeg2(midLat(bboxOf(polygon)));
  const edges = edgeBoxes(polygon);
  const solo = PolygonIndex.build([polygon]);
  let covered = 0;
  for (const g of members) {
    const clear = !edges.some((e) => touchesBox(e, g.box));
    const first = partsOf(g.geometry)[0][0][0];
    const inter = clear ? (solo.contains(0, first[0], first[1]) ? g.area : 0) : polygonArea(intersection(g.geometry, polygon));
    covered += inter;
    const outside = (g.area - inter) * scale;
    if (g.row !== null && outside > tol.outsideM2) {
      const how = inter * scale <= tol.outsideM2 ? 'lies entirely outside' : `reaches ${fmt(outside)} m² outside`;
      emit({ row: g.row, featureId: g.code, field: 'geometry', code: 'GRID_OUTSIDE_COMMUNITY', message: `Grid ${g.code} ${how} its community ${code}.` });
    }
  }
  const gap = (polygonArea(polygon) - covered + overlap) * scale;
  if (gap > tol.gapM2) {
    const rest = difference(polygon, members.map((g) => g.geometry));
    const at = rest ? whereIs(rest) : null;
    const message = `The grids of community ${code} leave ${fmt(gap)} m² uncovered${at ? `, the largest piece around [${at[0]}, ${at[1]}]` : ''}.`;
    emit({ row: null, featureId: code, code: 'GRID_GAP', message });
  }
}

/** Boxes of the community's edges (degenerate boxes for axis-parallel edges). */
function edgeBoxes(polygon: Polygonal): Box[] {
  const out: Box[] = [];
  for (const ring of partsOf(polygon).flat()) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [a, b] = [ring[i], ring[i + 1]];
      out.push([Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])]);
    }
  }
  return out;
}

/** Closed-box contact: an edge lying along the grid box's side counts (a shared boundary needs clipping). */
function touchesBox(e: Box, b: Box): boolean {
  return e[0] <= b[2] && e[2] >= b[0] && e[1] <= b[3] && e[3] >= b[1];
}
