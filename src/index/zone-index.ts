import type { Zone } from '../domain/types.js';
import { PolygonIndex } from './polygon-index.js';

/** A responsibility zone without its geometry. */
export interface ZoneRef {
  id: string;
  name: string;
  kind: string;
  responsibleUnit: string;
  classes: readonly string[];
}

/** The zones of a point in none, shared by every such point (frozen, so no caller can fill it). */
const NO_ZONES: readonly ZoneRef[] = Object.freeze([]);

/**
 * Responsibility zones (责任区: parks, development zones, scenic areas). Zones may overlap each other
 * and need not follow grid edges, so a point can be in several; they are returned in id order.
 */
export class ZoneIndex {
  private readonly index: PolygonIndex;
  private readonly refs: ZoneRef[];

  constructor(zones: readonly Zone[]) {
    const sorted = [...zones].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.index = PolygonIndex.build(sorted.map((z) => z.geometry));
    this.refs = sorted.map(({ geometry: _g, ...ref }) => ref);
  }

  get size(): number {
    return this.refs.length;
  }

  /** Every zone containing the point (same boundary rule as grids). */
  containing(lon: number, lat: number): readonly ZoneRef[] {
    const found = this.index.allContaining(lon, lat);
    return found.length === 0 ? NO_ZONES : found.map((i) => this.refs[i]);
  }
}

/** Whether a zone covers a class: an empty list covers all; otherwise the type code or its major class. */
export function zoneCovers(zone: ZoneRef, typeCode: string): boolean {
  return zone.classes.length === 0 || zone.classes.includes(typeCode) || zone.classes.includes(typeCode.slice(0, 2));
}
