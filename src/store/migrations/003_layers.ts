import type { Knex } from 'knex';
import { createSpatialTable, dropSpatialTable } from '../spatial-table.js';

/** Components (部件), addresses (门牌), roads and responsibility zones (责任区). */
export async function up(db: Knex): Promise<void> {
  await createSpatialTable(db, {
    table: 'components',
    geometryType: 'GEOMETRY',
    title: '管理部件 components',
    description: 'Management components (GB/T 30428.2): points, lines and polygons, CGCS2000',
    columns: (t) => {
      t.string('obj_id', 17).notNullable().unique();
      t.string('major', 2).notNullable();
      t.string('minor', 3).notNullable();
      t.string('type_code', 5).notNullable().index();
      t.text('name').notNullable();
      t.string('competent_unit', 32);
      t.string('owner_unit', 32);
      t.string('maintainer_unit', 32);
      t.string('grid_code', 15).index();
      t.string('state', 8).notNullable();
      t.string('initial_date', 10).notNullable();
      t.string('changed_date', 10);
      t.text('data_source');
      t.text('note');
      t.text('extra');
    },
  });
  await createSpatialTable(db, {
    table: 'addresses',
    geometryType: 'POINT',
    title: '门牌 addresses',
    description: 'House-number address points on named roads, CGCS2000',
    columns: (t) => {
      t.string('addr_id', 32).notNullable().unique();
      t.text('road_name').notNullable().index();
      t.string('house_number', 32).notNullable();
      t.integer('number');
      t.text('building');
      t.string('district_code', 6).notNullable();
      t.string('street_code', 9).notNullable();
      t.string('community_code', 12).notNullable();
    },
  });
  await createSpatialTable(db, {
    table: 'roads',
    geometryType: 'MULTILINESTRING',
    title: '道路 roads',
    description: 'Named roads, streets and lanes (路/街/巷), CGCS2000',
    columns: (t) => {
      t.string('road_id', 32).notNullable().unique();
      t.text('name').notNullable().index();
      t.string('district_code', 6).notNullable();
    },
  });
  await createSpatialTable(db, {
    table: 'zones',
    geometryType: 'MULTIPOLYGON',
    title: '责任区 responsibility zones',
    description: 'Areas whose cases go to a unit other than the territorial one (parks, development zones)',
    columns: (t) => {
      t.string('zone_id', 32).notNullable().unique();
      t.text('name').notNullable();
      t.string('kind', 32).notNullable();
      t.string('responsible_unit', 32).notNullable();
      t.text('classes').notNullable();
    },
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['zones', 'roads', 'addresses', 'components']) await dropSpatialTable(db, table);
}
