import type { Knex } from 'knex';
import { isSqlite } from '../spatial-table.js';
import { initGeoPackage } from '../gpkg.js';
import { registerAttributesTable, unregisterAttributesTable } from '../attributes-table.js';

/** The GeoPackage core tables, the store's metadata, units/departments and the class dictionary. */
export async function up(db: Knex): Promise<void> {
  if (isSqlite(db)) await initGeoPackage(db);
  await db.schema.createTable('wanmi_meta', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable();
  });
  await db('wanmi_meta').insert({ key: 'data_version', value: '0' });
  await db.schema.createTable('units', (t) => {
    t.string('code', 32).primary();
    t.text('name').notNullable();
    t.string('kind', 32).notNullable();
    t.text('contact');
  });
  await db.schema.createTable('classes', (t) => {
    t.string('category', 16).notNullable();
    t.string('type_code', 8).notNullable();
    t.string('major', 2).notNullable();
    t.string('minor', 3).notNullable();
    t.text('major_name').notNullable();
    t.text('name').notNullable();
    t.string('standard_version', 32).notNullable();
    t.string('geometry_kinds', 32).notNullable();
    t.string('default_competent', 32);
    t.primary(['category', 'type_code']);
  });
  await registerAttributesTable(db, 'units', '责任单位 units and departments');
  await registerAttributesTable(db, 'classes', '部件/事件分类 class dictionary');
}

export async function down(db: Knex): Promise<void> {
  await unregisterAttributesTable(db, 'classes');
  await unregisterAttributesTable(db, 'units');
  await db.schema.dropTableIfExists('classes');
  await db.schema.dropTableIfExists('units');
  await db.schema.dropTableIfExists('wanmi_meta');
}
