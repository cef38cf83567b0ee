import type { Knex } from 'knex';

/**
 * The data version: a counter bumped in the same transaction as every write to the layers. Replicas
 * sharing one PostGIS database compare it to know when to rebuild their index; tiles and caches key on it.
 */
export async function readDataVersion(db: Knex | Knex.Transaction): Promise<number> {
  const row = await db('wanmi_meta').where({ key: 'data_version' }).first('value');
  return Number(row?.value ?? 0);
}

export async function bumpDataVersion(db: Knex | Knex.Transaction): Promise<number> {
  const next = (await readDataVersion(db)) + 1;
  await db('wanmi_meta').where({ key: 'data_version' }).update({ value: String(next) });
  return next;
}

export async function readMeta(db: Knex | Knex.Transaction, key: string): Promise<string | undefined> {
  const row = await db('wanmi_meta').where({ key }).first('value');
  return row?.value;
}

export async function writeMeta(db: Knex | Knex.Transaction, key: string, value: string): Promise<void> {
  const updated = await db('wanmi_meta').where({ key }).update({ value });
  if (!updated) await db('wanmi_meta').insert({ key, value });
}
