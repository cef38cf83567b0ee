import type { Knex } from 'knex';

/** Import jobs and the per-feature change history ("what changed in this census", "as of date X"). */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('imports', (t) => {
    t.string('id', 36).primary();
    t.string('layer', 16).notNullable();
    t.string('mode', 16).notNullable();
    t.text('source_name').notNullable();
    t.string('state', 16).notNullable();
    t.string('started_at', 32).notNullable();
    t.string('finished_at', 32);
    t.text('summary');
    t.text('report');
  });
  await db.schema.createTable('feature_history', (t) => {
    t.increments('id');
    t.string('layer', 16).notNullable();
    t.string('feature_id', 32).notNullable();
    t.string('import_id', 36);
    t.string('action', 8).notNullable();
    t.string('valid_from', 32).notNullable();
    t.string('valid_to', 32);
    t.text('before');
    t.text('after');
    t.index(['layer', 'feature_id']);
    t.index(['import_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('feature_history');
  await db.schema.dropTableIfExists('imports');
}
