import type { Grid, Position } from '../domain/types.js';
import type { AdminFrame } from './admin.js';
import { signedArea } from './geometry.js';
import { cellCorners, cellRing, type Lattice } from './lattice.js';

/** 初始日期 of every demo grid: one survey, one date. */
export const GRID_INITIAL_DATE = '2024-03-01';

export interface GridLayer {
  grids: Grid[];
  /** Grid index per cell; -1 for the river. */
  cellGrid: Int32Array;
}

/**
 * One unit grid per mesh cell (~100 m × 100 m ≈ 10,000 m², the "万米" grid).
 * Codes are the community code plus a 3-digit sequence numbered west → east, north → south within
 * the community (DB11/T 2157 §5.4), so a grid's code always starts with its community's.
 */
export function buildGrids(lat: Lattice, admin: AdminFrame): GridLayer {
  const grids: Grid[] = [];
  const cellGrid = new Int32Array(lat.nx * lat.ny).fill(-1);
  for (const community of admin.communities) {
    if (community.cells.length > 999) throw new Error(`demo: community ${community.code} would have ${community.cells.length} grids; grid codes number at most 999`);
    const streetName = admin.streets[community.street].name;
    const ordered = [...community.cells].sort((a, b) => rowOf(lat, b) - rowOf(lat, a) || a - b);
    ordered.forEach((cell, i) => {
      const seq = String(i + 1).padStart(3, '0');
      cellGrid[cell] = grids.length;
      grids.push({
        code: community.code + seq,
        name: `${streetName}${community.name}第${seq}网格`,
        communityCode: community.code,
        areaM2: Math.round(signedArea(cellRing(lat, cell)) * 10) / 10,
        initialDate: GRID_INITIAL_DATE,
        terminationDate: null,
        note: null,
        geometry: { type: 'Polygon', coordinates: [cellPositions(lat, cell)] },
      });
    });
  }
  return { grids, cellGrid };
}

function rowOf(lat: Lattice, cell: number): number {
  return Math.floor(cell / lat.nx);
}

/** Closed counter-clockwise ring of a cell, made of the shared vertex coordinates. */
function cellPositions(lat: Lattice, cell: number): Position[] {
  const corners = cellCorners(lat, cell);
  return [...corners, corners[0]].map((v): Position => [lat.lonlat[v][0], lat.lonlat[v][1]]);
}
