import type { Position } from '../domain/types.js';
import type { AdminFrame } from './admin.js';
import type { GridLayer } from './grids.js';
import { locate, type Lattice } from './lattice.js';

/** What the point generators (addresses, components, zones) share: the mesh, its labels and grids. */
export interface CityFrame {
  readonly lattice: Lattice;
  readonly admin: AdminFrame;
  readonly grids: GridLayer;
}

/** Where a generated point lies, by index into the frame's arrays. */
export interface Spot {
  cell: number;
  grid: number;
  community: number;
  street: number;
  /** Local coordinates, snapped to the published lon/lat. */
  x: number;
  y: number;
  position: Position;
}

/**
 * Locates a point exactly (convex-quad test on the snapped coordinates) and refuses it when it
 * falls in the river or closer than `minClearance` metres to a grid edge, so that any consumer's
 * point-in-polygon test agrees with the grid code written here.
 */
export function spotAt(frame: CityFrame, x: number, y: number, minClearance = 0.5): Spot | null {
  const position = frame.lattice.proj.toLonLat(x, y);
  const [sx, sy] = frame.lattice.proj.toLocal(position[0], position[1]);
  const hit = locate(frame.lattice, sx, sy);
  if (!hit || hit.clearance < minClearance) return null;
  const grid = frame.grids.cellGrid[hit.cell];
  if (grid < 0) return null;
  const community = frame.admin.cellCommunity[hit.cell];
  return { cell: hit.cell, grid, community, street: frame.admin.communities[community].street, x: sx, y: sy, position };
}
