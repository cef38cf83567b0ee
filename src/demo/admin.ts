import type { Gazetteer } from '../domain/gazetteer.js';
import type { AdminArea } from '../domain/types.js';
import type { XY } from './geometry.js';
import type { Lattice } from './lattice.js';
import { outlineXY, traceOutline } from './outline.js';
import { OUTSIDE } from './partition.js';

/**
 * The real administrative frame of the demo: 杭州市上城区 and four of its streets, with real
 * community codes and names from the gazetteer. Only the shapes are invented.
 */
export const DEMO_COUNTY = '330102';

/** Streets by quadrant (0 NW, 1 NE, 2 SW, 3 SE), roughly as they lie: 南星 and 望江 on the river. */
const DEMO_STREETS = ['330102011', '330102012', '330102008', '330102010'] as const;

/** Cells per community at scale 1 (~190 grids each); small scales keep a few communities per street. */
const CELLS_PER_COMMUNITY = 190;

export interface CommunityPlan {
  code: string;
  /** Display name, e.g. 清泰门社区 (a trailing 居委会 / 社区居民委员会 is dropped). */
  name: string;
}

export interface StreetPlan {
  code: string;
  name: string;
  /** Urban communities (居委会, codes …001–199) available in the gazetteer, in code order. */
  candidates: CommunityPlan[];
}

export interface AdminPlan {
  county: { code: string; name: string };
  /** "杭州市上城区". */
  fullName: string;
  streets: StreetPlan[];
}

export function planAdmin(gazetteer: Gazetteer): AdminPlan {
  const county = gazetteer.county(DEMO_COUNTY);
  if (!county) throw new Error(`demo: county ${DEMO_COUNTY} is not in the gazetteer`);
  const city = gazetteer.ancestorsOf(DEMO_COUNTY).city;
  const streets = DEMO_STREETS.map((code): StreetPlan => {
    const street = gazetteer.street(code);
    if (!street || street.parentCode !== DEMO_COUNTY) throw new Error(`demo: street ${code} is not in ${DEMO_COUNTY}`);
    const candidates = gazetteer
      .communitiesOf(code)
      .filter((c) => Number(c.code.slice(9)) < 200)
      .map((c) => ({ code: c.code, name: displayName(c.name) }));
    if (candidates.length < 2) throw new Error(`demo: street ${code} has too few communities`);
    return { code, name: street.name, candidates };
  });
  return { county: { code: county.code, name: county.name }, fullName: `${city?.name ?? ''}${county.name}`, streets };
}

function displayName(name: string): string {
  const stem = name.replace(/(社区)?(居民委员会|居委会)$/, '');
  return stem.endsWith('社区') ? stem : `${stem}社区`;
}

/** How many communities each street gets: about CELLS_PER_COMMUNITY cells each, never above 999 grids. */
export function communityCounts(plan: AdminPlan, streetCells: readonly number[], scale: number): number[] {
  const target = Math.max(12, CELLS_PER_COMMUNITY * Math.sqrt(Math.min(1, scale)));
  return plan.streets.map((street, s) => {
    const available = street.candidates.length;
    const k = Math.min(available, Math.max(2, Math.round(streetCells[s] / target), Math.ceil(streetCells[s] / 999)));
    if (streetCells[s] / k > 999) throw new Error('demo: scale too large for 3-digit grid sequence numbers');
    return Math.min(k, Math.max(1, Math.floor(streetCells[s] / 3)));
  });
}

export interface CommunityFrame extends CommunityPlan {
  street: number;
  cells: number[];
  area: AdminArea;
}

export interface AdminFrame {
  district: AdminArea;
  streets: AdminArea[];
  communities: CommunityFrame[];
  /** Community index (into communities) per cell; OUTSIDE for the river. */
  cellCommunity: Int32Array;
  /** The district outline in local coordinates. */
  districtXY: XY[][];
}

/**
 * Admin polygons traced from the labelled mesh. Communities emptied by the partition's topology
 * fix are dropped; the rest keep their gazetteer order within each street.
 */
export function buildAdminFrame(lat: Lattice, plan: AdminPlan, streets: Int32Array, communities: Int32Array, counts: readonly number[]): AdminFrame {
  const land: number[] = [];
  streets.forEach((s, cell) => s !== OUTSIDE && land.push(cell));
  const districtOutline = traceOutline(lat, land, (cell) => streets[cell] !== OUTSIDE);
  const district: AdminArea = { code: plan.county.code, name: plan.county.name, level: 'district', parentCode: null, geometry: districtOutline.geometry };

  const streetAreas = plan.streets.map((street, s): AdminArea => {
    const cells = land.filter((cell) => streets[cell] === s);
    const outline = traceOutline(lat, cells, (cell) => streets[cell] === s);
    return { code: street.code, name: street.name, level: 'street', parentCode: plan.county.code, geometry: outline.geometry };
  });

  const frames: CommunityFrame[] = [];
  const cellCommunity = new Int32Array(streets.length).fill(OUTSIDE);
  let label = 0;
  plan.streets.forEach((street, s) => {
    for (let k = 0; k < counts[s]; k++, label++) {
      const cells = land.filter((cell) => communities[cell] === label);
      if (cells.length === 0) continue;
      const own = label;
      const outline = traceOutline(lat, cells, (cell) => communities[cell] === own);
      const picked = street.candidates[k];
      for (const cell of cells) cellCommunity[cell] = frames.length;
      const area: AdminArea = { code: picked.code, name: picked.name, level: 'community', parentCode: street.code, geometry: outline.geometry };
      frames.push({ ...picked, street: s, cells, area });
    }
  });
  return { district, streets: streetAreas, communities: frames, cellCommunity, districtXY: outlineXY(lat, districtOutline) };
}
