import type { Knex } from 'knex';
import { loadResponsibilityList, type ResponsibilityList, type ResponsibilityListData } from '../ownership/responsibility-list.js';
import { readUnits } from '../store/reference.js';
import { writeResponsibilityList } from '../store/responsibility.js';
import { bumpDataVersion } from '../store/meta.js';

/**
 * Replaces the city's responsibility list: validated against the units in the store first, then stored
 * with a data-version bump in one transaction, so every replica reloads it. A bad list changes nothing.
 */
export async function setResponsibilityList(db: Knex, raw: unknown): Promise<{ list: ResponsibilityList; dataVersion: number }> {
  return db.transaction(async (trx) => {
    const units = new Set((await readUnits(trx)).map((u) => u.code));
    const list = loadResponsibilityList(raw, (code) => units.has(code));
    await writeResponsibilityList(trx, raw as ResponsibilityListData);
    // No spatial layer changed: tiles stay cached.
    return { list, dataVersion: await bumpDataVersion(trx, []) };
  });
}
