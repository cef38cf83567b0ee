import type { Knex } from 'knex';
import { buildClassDictionary, loadClassDictionary, type ClassDictionary } from '../src/domain/classes.js';
import { openGazetteer } from '../src/domain/gazetteer.js';
import type { AdminLookup } from '../src/domain/reference.js';
import { layerCodecs } from '../src/store/layers.js';
import { readFeatures } from '../src/store/layer-io.js';
import { readClasses } from '../src/store/reference.js';
import type { MappableLayer } from './field-aliases.js';
import type { Polygonal } from './planar.js';
import type { ValidationContext } from './validate.js';

/**
 * What validation needs from outside the file, loaded from the store: the class dictionary in force
 * (`wanmi classes`), the grids components claim, the community polygons grids nest in, and — for an
 * update — the grids that stay beside the file's. Only what the layer needs is read.
 */
type Db = Knex | Knex.Transaction;

/** The dictionary stored with `wanmi classes`, or the shipped one when none is stored. */
export async function storedDictionary(db: Db): Promise<ClassDictionary> {
  const entries = await readClasses(db);
  if (entries.length === 0) return loadClassDictionary();
  const versions = [...new Set(entries.map((e) => e.standardVersion))];
  return buildClassDictionary(versions.map((version) => ({ version, entries: entries.filter((e) => e.standardVersion === version) })));
}

export async function storeGrids(db: Db): Promise<NonNullable<ValidationContext['grids']>> {
  const grids = await readFeatures(db, layerCodecs.grids);
  return grids.map((g) => ({ code: g.code, communityCode: g.communityCode, geometry: g.geometry }));
}

export async function storeCommunities(db: Db): Promise<Map<string, Polygonal>> {
  const areas = await readFeatures(db, layerCodecs.adminAreas);
  return new Map(areas.filter((a) => a.level === 'community').map((a) => [a.code, a.geometry]));
}

/** The cross-layer part of the context for one layer and mode. */
export async function loadLayerContext(db: Db, layer: MappableLayer, mode: 'replace' | 'update'): Promise<Pick<ValidationContext, 'grids' | 'communities'>> {
  if (layer === 'components') return { grids: await storeGrids(db) };
  if (layer === 'grids') {
    // Replace: the file is the whole layer, so the stored grids are not neighbours; update: they stay.
    return { communities: await storeCommunities(db), grids: mode === 'update' ? await storeGrids(db) : [] };
  }
  return {};
}

export interface References {
  gazetteer: AdminLookup;
  dictionary: ClassDictionary;
  close(): void;
}

/** The gazetteer and dictionary to check codes with: given ones are used (and not closed). */
export async function loadReferences(db: Db | null, given: { gazetteer?: AdminLookup; dictionary?: ClassDictionary } = {}): Promise<References> {
  const dictionary = given.dictionary ?? (db ? await storedDictionary(db) : loadClassDictionary());
  if (given.gazetteer) return { gazetteer: given.gazetteer, dictionary, close: () => {} };
  const gazetteer = openGazetteer();
  return { gazetteer, dictionary, close: () => gazetteer.close() };
}
