import type { Knex } from 'knex';
import { layerCodecs } from '../store/layers.js';
import { readFeatures, countFeatures } from '../store/layer-io.js';
import { readDataVersion } from '../store/meta.js';
import { TerritoryIndex } from './territory.js';

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
  /** Feature counts per layer, as stored. */
  readonly counts: Readonly<Record<string, number>>;
}

export async function buildCityIndex(db: Knex): Promise<CityIndex> {
  const started = performance.now();
  // Read the version first: if a write lands while we read, the next refresh sees a newer version.
  const dataVersion = await readDataVersion(db);
  const [adminAreas, grids] = await Promise.all([
    readFeatures(db, layerCodecs.adminAreas),
    readFeatures(db, layerCodecs.grids),
  ]);
  const territory = new TerritoryIndex(adminAreas, grids);
  const counts: Record<string, number> = {
    districts: territory.count('district'),
    streets: territory.count('street'),
    communities: territory.count('community'),
    grids: grids.length,
  };
  for (const table of ['components', 'addresses', 'roads', 'zones', 'units']) {
    counts[table] = await countFeatures(db, table);
  }
  return { dataVersion, builtAt: new Date().toISOString(), buildMs: performance.now() - started, territory, counts };
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
