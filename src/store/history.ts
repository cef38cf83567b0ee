import type { Knex } from 'knex';

/** How often a feature changed and when last: the summary shown beside a feature. */
export interface HistorySummary {
  changes: number;
  lastChange: string | null;
  lastAction: string | null;
  lastImport: string | null;
}

export async function historySummary(db: Knex | Knex.Transaction, layer: string, featureId: string): Promise<HistorySummary> {
  const rows = await db('feature_history')
    .where({ layer, feature_id: featureId })
    .orderBy('id', 'desc')
    .select('action', 'valid_from', 'import_id');
  const last = rows[0];
  return {
    changes: rows.length,
    lastChange: last?.valid_from ?? null,
    lastAction: last?.action ?? null,
    lastImport: last?.import_id ?? null,
  };
}
