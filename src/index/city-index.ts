import type { Knex } from 'knex';
import { layerCodecs } from '../store/layers.js';
import { readFeatures } from '../store/layer-io.js';
import { readDataVersion, readLayerVersions } from '../store/meta.js';
import { readUnits, readClasses } from '../store/reference.js';
import { readResponsibilityList } from '../store/responsibility.js';
import type { Unit, ClassEntry, ClassCategory, Grid } from '../domain/types.js';
import { loadResponsibilityList, type ResponsibilityList } from '../ownership/responsibility-list.js';
import { TerritoryIndex } from './territory.js';
import { ComponentIndex } from './component-index.js';
import { ZoneIndex } from './zone-index.js';
import { buildGeocodeData, type GeocodeData } from '../geocode/index.js';
import { buildTileSources, TileService, type TileCache } from '../../tiles/index.js';

/**
 * Everything the request path reads, built off the request path from the store. Immutable once built:
 * a data change builds a new CityIndex and LiveIndex swaps the reference in one step.
 */
export interface CityIndex {
  /** The store's data version this index was built from. */
  readonly dataVersion: number;
  readonly builtAt: string;
  readonly buildMs: number;
  readonly territory: TerritoryIndex;
  readonly components: ComponentIndex;
  readonly zones: ZoneIndex;
  readonly units: ReadonlyMap<string, Unit>;
  readonly responsibility: ResponsibilityList;
  /** The class dictionary in force, keyed `${category}:${typeCode}` (component and event codes collide). */
  readonly classes: ReadonlyMap<string, ClassEntry>;
  /** Feature counts per layer, as stored. */
  readonly counts: Readonly<Record<string, number>>;
  /** Vector tile sources of this data version, over the app's shared tile cache. */
  readonly tiles: TileService;
  /** Names, roads, house numbers and places for forward and reverse geocoding. */
  readonly geocoder: GeocodeData;
}

export async function buildCityIndex(db: Knex, options: { tileCache?: TileCache | null } = {}): Promise<CityIndex> {
  const started = performance.now();
  // Read the version first: if a write lands while we read, the next refresh sees a newer version.
  const dataVersion = await readDataVersion(db);
  const layerVersions = await readLayerVersions(db);
  const [adminAreas, storedGrids, components, zones, unitRows, listData, classRows, addresses, roads] = await Promise.all([
    readFeatures(db, layerCodecs.adminAreas),
    readFeatures(db, layerCodecs.grids),
    readFeatures(db, layerCodecs.components),
    readFeatures(db, layerCodecs.zones),
    readUnits(db),
    readResponsibilityList(db),
    readClasses(db),
    readFeatures(db, layerCodecs.addresses),
    readFeatures(db, layerCodecs.roads),
  ]);
  const grids = gridsInForce(storedGrids, new Date().toISOString().slice(0, 10));
  const territory = new TerritoryIndex(adminAreas, grids);
  const units = new Map(unitRows.map((u) => [u.code, u]));
  const responsibility = loadResponsibilityList(listData, (code) => units.has(code));
  const counts: Record<string, number> = {
    districts: territory.count('district'),
    streets: territory.count('street'),
    communities: territory.count('community'),
    grids: storedGrids.length,
  };
  counts.components = components.length;
  counts.zones = zones.length;
  counts.units = units.size;
  counts.addresses = addresses.length;
  counts.roads = roads.length;
  // Each source carries its own layer's version: an import of one layer re-keys only that source's tiles.
  const tileSources = buildTileSources({ adminAreas, grids, components, addresses, roads, zones }, {
    dataVersion,
    versions: {
      adminAreas: layerVersions.admin_areas, grids: layerVersions.grids, components: layerVersions.components,
      addresses: layerVersions.addresses, roads: layerVersions.roads, zones: layerVersions.zones,
    },
  });
  return {
    dataVersion, builtAt: new Date().toISOString(), buildMs: performance.now() - started, counts, territory,
    components: new ComponentIndex(components), zones: new ZoneIndex(zones), units, responsibility,
    classes: new Map(classRows.map((c) => [classKey(c.category, c.typeCode), c])),
    tiles: new TileService(tileSources, options.tileCache ?? null),
    geocoder: buildGeocodeData({ adminAreas, roads, addresses, zones }, territory),
  };
}

/**
 * Grids delivered with a termination date (撤销日期) on or before today no longer exist on the ground:
 * lookups, tiles and geocoding use only the grids in force. They stay in the store, with their history.
 */
export function gridsInForce(grids: readonly Grid[], today: string): Grid[] {
  return grids.filter((g) => g.terminationDate === null || g.terminationDate > today);
}

export function classKey(category: ClassCategory, typeCode: string): string {
  return `${category}:${typeCode}`;
}

/**
 * Holds the index currently in force. Readers take `current` once per request and use that object
 * throughout, so a swap in the middle of a request never mixes two versions.
 */
export class LiveIndex {
  private index: CityIndex | null = null;

  get ready(): boolean {
    return this.index !== null;
  }

  get current(): CityIndex {
    if (!this.index) throw new Error('index not built yet');
    return this.index;
  }

  swap(next: CityIndex): void {
    this.index = next;
  }
}
