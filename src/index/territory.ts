import type { AdminArea, AdminLevel, Grid } from '../domain/types.js';
import { PolygonIndex } from './polygon-index.js';

/** The parts of an admin area or grid a lookup answers with; no geometry. */
export interface AreaRef {
  code: string;
  name: string;
}

/** Where a point lies: its grid and the community, street and district above it. */
export interface Territory {
  grid: AreaRef | null;
  community: AreaRef | null;
  street: AreaRef | null;
  district: AreaRef | null;
}

interface AdminRecord extends AreaRef {
  level: AdminLevel;
  parentCode: string | null;
}

/**
 * The territorial hierarchy in memory: one PolygonIndex for unit grids and one per admin level,
 * attributes in side arrays indexed like the polygons.
 *
 * The hierarchy of a point comes from its grid (grid → community → street → district by codes and
 * parent links), so the answer is consistent with the grid even where admin polygons and grid edges
 * disagree by a few centimetres in real data. Only outside every grid do the admin polygons decide.
 */
export class TerritoryIndex {
  readonly grids: PolygonIndex;
  readonly gridRefs: readonly AreaRef[];
  /** Community code of each grid, as stored. */
  readonly gridCommunity: readonly string[];
  private readonly levels: Record<AdminLevel, { index: PolygonIndex; records: AdminRecord[] }>;
  private readonly adminByCode: Map<string, AdminRecord>;
  private readonly gridByCode: Map<string, number>;
  /** The answer for a point in grid g, built once: every point of a grid has the same territory. */
  private readonly gridAnswers: readonly Territory[];

  constructor(adminAreas: readonly AdminArea[], grids: readonly Grid[]) {
    const sortedGrids = [...grids].sort((a, b) => compare(a.code, b.code));
    this.grids = PolygonIndex.build(sortedGrids.map((g) => g.geometry));
    this.gridRefs = sortedGrids.map((g) => ({ code: g.code, name: g.name }));
    this.gridCommunity = sortedGrids.map((g) => g.communityCode);
    this.gridByCode = new Map(sortedGrids.map((g, i) => [g.code, i]));
    this.adminByCode = new Map(adminAreas.map((a) => [a.code, toRecord(a)]));
    this.levels = {
      district: buildLevel(adminAreas, 'district'),
      street: buildLevel(adminAreas, 'street'),
      community: buildLevel(adminAreas, 'community'),
    };
    this.gridAnswers = this.gridRefs.map((_, g) => deepFreeze(this.fromGrid(g)));
  }

  /**
   * The territory of a point; null when it lies in no grid and no admin area. Inside a grid the
   * answer is the grid's shared, frozen object (callers copy it, never change it).
   */
  locate(lon: number, lat: number): Territory | null {
    const g = this.grids.containing(lon, lat);
    if (g >= 0) return this.gridAnswers[g];
    const community = this.containingAdmin('community', lon, lat);
    const street = community ? this.parentOf(community) : this.containingAdmin('street', lon, lat);
    const district = street ? this.parentOf(street) : this.containingAdmin('district', lon, lat);
    if (!community && !street && !district) return null;
    return { grid: null, community: ref(community), street: ref(street), district: ref(district) };
  }

  /** Index of the grid containing the point, or -1. */
  gridAt(lon: number, lat: number): number {
    return this.grids.containing(lon, lat);
  }

  /** The territory of every point in grid g (shared and frozen, as from locate). */
  gridTerritory(g: number): Territory {
    return this.gridAnswers[g];
  }

  /** Code and name of a grid by its code. */
  gridRef(code: string): AreaRef | undefined {
    const i = this.gridByCode.get(code);
    return i === undefined ? undefined : this.gridRefs[i];
  }

  admin(code: string): AreaRef | undefined {
    const a = this.adminByCode.get(code);
    return a ? { code: a.code, name: a.name } : undefined;
  }

  count(level: AdminLevel): number {
    return this.levels[level].records.length;
  }

  private fromGrid(g: number): Territory {
    const communityCode = this.gridCommunity[g];
    const community = this.adminByCode.get(communityCode) ?? null;
    // Codes carry the hierarchy (6+3+3), so a grid whose community polygon is missing still names its parents.
    const street = (community && this.parentOf(community)) ?? this.adminByCode.get(communityCode.slice(0, 9)) ?? null;
    const district = (street && this.parentOf(street)) ?? this.adminByCode.get(communityCode.slice(0, 6)) ?? null;
    return { grid: this.gridRefs[g], community: ref(community), street: ref(street), district: ref(district) };
  }

  private containingAdmin(level: AdminLevel, lon: number, lat: number): AdminRecord | null {
    const { index, records } = this.levels[level];
    const i = index.containing(lon, lat);
    return i >= 0 ? records[i] : null;
  }

  private parentOf(a: AdminRecord): AdminRecord | null {
    return a.parentCode ? this.adminByCode.get(a.parentCode) ?? null : null;
  }
}

function buildLevel(areas: readonly AdminArea[], level: AdminLevel) {
  const atLevel = areas.filter((a) => a.level === level).sort((a, b) => compare(a.code, b.code));
  return { index: PolygonIndex.build(atLevel.map((a) => a.geometry)), records: atLevel.map(toRecord) };
}

function toRecord(a: AdminArea): AdminRecord {
  return { code: a.code, name: a.name, level: a.level, parentCode: a.parentCode };
}

function ref(a: AdminRecord | null): AreaRef | null {
  return a ? { code: a.code, name: a.name } : null;
}

/** Freezes the answer and the area refs in it, so a caller can't change what other requests share. */
function deepFreeze(t: Territory): Territory {
  for (const a of [t.grid, t.community, t.street, t.district]) if (a) Object.freeze(a);
  return Object.freeze(t);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
