import type { Knex } from 'knex';
import type { AdminArea, Grid, Component, Address, Road, Zone, Unit, ClassEntry } from '../domain/types.js';
import { layerCodecs } from './layers.js';
import { insertFeatures, countFeatures } from './layer-io.js';
import { insertUnits, replaceClasses } from './reference.js';
import { bumpDataVersion, writeMeta } from './meta.js';
import { writeResponsibilityList } from './responsibility.js';
import type { ResponsibilityListData } from '../ownership/responsibility-list.js';

/** A whole city's layers, as the demo generator (or a full census import) delivers them. */
export interface CityData {
  name: string;
  adminAreas: AdminArea[];
  grids: Grid[];
  components: Component[];
  addresses: Address[];
  roads: Road[];
  zones: Zone[];
  units: Unit[];
  /** The city's responsibility list (责任清单), when it comes with the data. */
  responsibility?: ResponsibilityListData;
}

/** True when no layer holds a feature yet (the demo city is only seeded into an empty store). */
export async function isStoreEmpty(db: Knex): Promise<boolean> {
  for (const table of ['admin_areas', 'grids', 'components']) {
    if ((await countFeatures(db, table)) > 0) return false;
  }
  return true;
}

/** Writes a city in one transaction: either all of it lands, or nothing does. */
export async function writeCity(db: Knex, city: CityData, classes: readonly ClassEntry[]): Promise<number> {
  return db.transaction(async (trx) => {
    await replaceClasses(trx, classes);
    await insertUnits(trx, city.units);
    await insertFeatures(trx, layerCodecs.adminAreas, city.adminAreas);
    await insertFeatures(trx, layerCodecs.grids, city.grids);
    await insertFeatures(trx, layerCodecs.components, city.components);
    await insertFeatures(trx, layerCodecs.addresses, city.addresses);
    await insertFeatures(trx, layerCodecs.roads, city.roads);
    await insertFeatures(trx, layerCodecs.zones, city.zones);
    await writeMeta(trx, 'city_name', city.name);
    if (city.responsibility) await writeResponsibilityList(trx, city.responsibility);
    return bumpDataVersion(trx, 'all');
  });
}

/** Deletes every feature, unit and history row (the schema stays), in one transaction. */
export async function clearCity(db: Knex): Promise<number> {
  return db.transaction(async (trx) => {
    for (const table of ['feature_history', 'imports', 'zones', 'roads', 'addresses', 'components', 'grids', 'admin_areas', 'units']) {
      await trx(table).delete();
    }
    return bumpDataVersion(trx, 'all');
  });
}
