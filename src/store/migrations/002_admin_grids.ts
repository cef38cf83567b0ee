import type { Knex } from 'knex';
import { createSpatialTable, dropSpatialTable } from '../spatial-table.js';

/** Administrative areas (区县/街道/社区) and unit grids (单元网格). */
export async function up(db: Knex): Promise<void> {
  await createSpatialTable(db, {
    table: 'admin_areas',
    geometryType: 'MULTIPOLYGON',
    title: '行政区划 admin areas',
    description: 'Districts (6-digit), streets/townships (9-digit) and communities/villages (12-digit), CGCS2000',
    columns: (t) => {
      t.string('code', 12).notNullable().unique();
      t.text('name').notNullable();
      t.string('level', 16).notNullable();
      t.string('parent_code', 12).index();
    },
  });
  await createSpatialTable(db, {
    table: 'grids',
    geometryType: 'MULTIPOLYGON',
    title: '单元网格 unit grids',
    description: 'Unit grids (GB/T 30428.1), 15-digit or legacy 14-digit codes, CGCS2000',
    columns: (t) => {
      t.string('code', 15).notNullable().unique();
      t.text('name').notNullable();
      t.string('community_code', 12).notNullable().index();
      t.double('area_m2').notNullable();
      t.string('initial_date', 10).notNullable();
      t.string('termination_date', 10);
      t.text('note');
    },
  });
}

export async function down(db: Knex): Promise<void> {
  await dropSpatialTable(db, 'grids');
  await dropSpatialTable(db, 'admin_areas');
}
