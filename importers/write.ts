import type { Knex } from 'knex';
import { insertFeatures } from '../src/store/layer-io.js';
import { fingerprint } from './fingerprint.js';
import { recordHistory } from './history.js';
import { ImportRunError } from './import-errors.js';
import { toFeature, type ImportLayer, type StoredFeature } from './import-layers.js';
import { sourceRows, type ImportProgress } from './source-rows.js';
import { deleteByKeys, readByKeys, refreshExtent } from './layer-store.js';
import type { ImportPlan, PlannedWrite } from './modes.js';
import type { Source } from './types.js';

/**
 * The write half of an import, inside the caller's transaction:
 *   1. retire — read each retired feature (history `before`), delete it, record the history;
 *   2. re-read the file; for each planned row, check its fingerprint against the first pass (a file
 *      edited in between aborts the transaction), then in batches: read the `before` of changed
 *      features, delete them, insert the new versions (the store's bulk path), record the history.
 * A change is a delete + insert rather than an UPDATE: the GeoPackage bulk loader is ~5× faster than
 * row updates through its R-tree triggers, and PostGIS does not mind.
 */
export interface WriteJob {
  source: Source;
  layer: ImportLayer;
  plan: ImportPlan;
  importId: string;
  validFrom: string;
  onProgress?: (p: ImportProgress) => void;
}

/**
 * Rows per write batch. Large on purpose: each GeoPackage bulk insert into a non-empty layer rescans the
 * layer's extent (layer-io.ts), so fewer, larger batches; 50,000 features are ~50 MB in memory.
 */
const BATCH = 50_000;

export async function writePlan(trx: Knex.Transaction, job: WriteJob): Promise<void> {
  const total = job.plan.retire.length + job.plan.writes.size;
  let done = 0;
  const progress = (n: number) => job.onProgress?.({ phase: 'write', done: (done += n), total });
  await retire(trx, job, progress);
  let batch: Array<{ write: PlannedWrite; feature: StoredFeature }> = [];
  let seen = 0;
  for await (const { row, value } of sourceRows(job.source, job.layer).rows) {
    const write = job.plan.writes.get(row);
    if (!write) continue;
    const feature = toFeature(job.layer.mappable, value);
    if (job.layer.codec.keyOf(feature) !== write.key || fingerprint(job.layer.codec, feature) !== write.hash) changed(row);
    batch.push({ write, feature });
    seen++;
    if (batch.length >= BATCH) {
      await flush(trx, job, batch);
      progress(batch.length);
      batch = [];
    }
  }
  await flush(trx, job, batch);
  progress(batch.length);
  if (seen !== job.plan.writes.size) changed(null);
  // Bulk inserts recompute a GeoPackage layer's extent; retirements alone must do it themselves.
  if (job.plan.retire.length > 0 && job.plan.writes.size === 0) await refreshExtent(trx, job.layer.codec.table);
}

function changed(row: number | null): never {
  const where = row === null ? 'rows went missing' : `row ${row} differs`;
  throw new ImportRunError('IMPORT_SOURCE_CHANGED', `The file changed while it was imported (${where} since validation); nothing was written.`);
}

async function retire(trx: Knex.Transaction, job: WriteJob, progress: (n: number) => void): Promise<void> {
  const { codec } = job.layer;
  for (let i = 0; i < job.plan.retire.length; i += BATCH) {
    const keys = job.plan.retire.slice(i, i + BATCH);
    const before = await readByKeys(trx, codec, keys);
    await deleteByKeys(trx, codec, keys);
    await recordHistory(trx, codec.table, job.importId, job.validFrom, 'retire', keys.map((k) => ({ featureId: k, before: before.get(k) ?? null, after: null })));
    progress(keys.length);
  }
}

async function flush(trx: Knex.Transaction, job: WriteJob, batch: ReadonlyArray<{ write: PlannedWrite; feature: StoredFeature }>): Promise<void> {
  if (batch.length === 0) return;
  const { codec } = job.layer;
  const changedKeys = batch.filter((b) => b.write.action === 'change').map((b) => b.write.key);
  const before = await readByKeys(trx, codec, changedKeys);
  await deleteByKeys(trx, codec, changedKeys);
  await insertFeatures(trx, codec, batch.map((b) => b.feature));
  const entries = (action: 'add' | 'change') => batch.filter((b) => b.write.action === action)
    .map((b) => ({ featureId: b.write.key, before: before.get(b.write.key) ?? null, after: b.feature }));
  await recordHistory(trx, codec.table, job.importId, job.validFrom, 'add', entries('add'));
  await recordHistory(trx, codec.table, job.importId, job.validFrom, 'change', entries('change'));
}
