import type { Knex } from 'knex';
import { readMeta, writeMeta } from './meta.js';
import { TERRITORIAL_ONLY, type ResponsibilityListData } from '../ownership/responsibility-list.js';

/**
 * The city's responsibility list (责任清单) lives in the store beside the data it refers to, so every
 * replica uses the same one. Validation happens when the index is built (it needs the units).
 */
const KEY = 'responsibility_list';

export async function readResponsibilityList(db: Knex | Knex.Transaction): Promise<unknown> {
  const raw = await readMeta(db, KEY);
  return raw ? JSON.parse(raw) : TERRITORIAL_ONLY;
}

/** Stores a list (already validated by the caller); the caller's transaction bumps the data version. */
export async function writeResponsibilityList(db: Knex | Knex.Transaction, list: ResponsibilityListData): Promise<void> {
  await writeMeta(db, KEY, JSON.stringify(list));
}
