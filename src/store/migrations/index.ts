import type { Knex } from 'knex';
// Each migration is imported explicitly (not found by scanning a folder), so the same list runs from
// the TypeScript sources under tap and from the compiled dist/ under `npm start`.
import * as m001 from './001_reference.js'; // GeoPackage core, metadata, units, class dictionary
import * as m002 from './002_admin_grids.js'; // admin areas, unit grids
import * as m003 from './003_layers.js'; // components, addresses, roads, zones
import * as m004 from './004_history.js'; // imports, per-feature history
import * as m005 from './005_layer_versions.js'; // per-layer data versions (exact tile invalidation)

type Migration = { up(db: Knex): Promise<void>; down(db: Knex): Promise<void> };
const migrations: Record<string, Migration> = {
  '001_reference': m001,
  '002_admin_grids': m002,
  '003_layers': m003,
  '004_history': m004,
  '005_layer_versions': m005,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};
