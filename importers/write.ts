import type { Knex } from 'knex';
import { deferIndexes, startFeatureLoad, type FeatureLoad } from '../src/store/layer-io.js';
import { fingerprint } from './fingerprint.js';
import { recordHistory } from './history.js';
import { ImportRunError } from './import-errors.js';
import { toFeature, type ImportLayer, type StoredFeature } from './import-layers.js';
import { sourceRows, type ImportProgress } from './source-rows.js';
import { deleteByKeys, emptyTables, readByKeys, refreshExtent } from './layer-store.js';
import type { ImportPlan, PlannedWrite } from './modes.js';
import type { Source } from './types.js';
import type { FeatureArena } from './feature-arena.js';

/**
 * The write half of an import, inside the caller's transaction:
 *   1. retire — read each retired feature (history `before`), delete it, record the history;
 *   2. the planned rows, in batches: read the `before` of changed features, delete them, insert the
 *      new versions (the store's bulk path), record the history. The rows come from memory when the
 *      first pass kept them (import.ts), else from a second read of the file, each row's fingerprint
 *      checked against the first pass (a file edited in between aborts the transaction).
 * A change is a delete + insert rather than an UPDATE: the GeoPackage bulk loader is ~5× faster than
 * row updates through its R-tree triggers, and PostGIS does not mind.
 */
export interface WriteJob {
  source: Source;
  /** The features the first pass kept, by PlannedWrite.kept; null: read them from `source` again. */
  kept: FeatureArena | null;
  layer: ImportLayer;
  plan: ImportPlan;
  importId: string;
  validFrom: string;
  onProgress?: (p: ImportProgress) => void;
}

/**
 * Rows per write batch: bounds the history JSON held at once (50,000 features are ~50 MB), and the
 * re-read features when the first pass could not keep them.
 */
const BATCH = 50_000;

export async function writePlan(trx: Knex.Transaction, job: WriteJob): Promise<void> {
  const total = job.plan.retire.length + job.plan.writes.size;
  let done = 0;
  const progress = (n: number) => job.onProgress?.({ phase: 'write', done: (done += n), total });
  await retire(trx, job, progress);
  // Tables empty before a large load get their indexes built once, after it.
  const reindex = await deferIndexes(trx, job.plan.writes.size >= DEFER_MIN ? await emptyTables(trx, [job.layer.codec.table, 'feature_history']) : []);
  // One load for every batch: a GeoPackage indexes the new rows once, at the end.
  const load = await startFeatureLoad(trx, job.layer.codec);
  let batch: Batch = [];
  for await (const item of plannedRows(job)) {
    batch.push(item);
    if (batch.length >= BATCH) {
      await flush(trx, job, load, batch);
      progress(batch.length);
      batch = [];
    }
  }
  await flush(trx, job, load, batch);
  await load.finish();
  await reindex();
  progress(batch.length);
  // Bulk inserts recompute a GeoPackage layer's extent; retirements alone must do it themselves.
  if (job.plan.retire.length > 0 && job.plan.writes.size === 0) await refreshExtent(trx, job.layer.codec.table);
}

/** Below this many rows indexes are maintained as rows go in. */
const DEFER_MIN = 50_000;

/** A planned row and its feature; `json` is the feature's JSON text when it is at hand already. */
type Planned = { write: PlannedWrite; feature: StoredFeature; json?: string };
type Batch = Planned[];

/** The planned rows in file order: kept in memory by the first pass, or read again and checked. */
async function* plannedRows(job: WriteJob): AsyncGenerator<Planned> {
  const { kept } = job;
  if (kept) {
    for (const write of job.plan.writes.values()) {
      if (write.kept === undefined) throw new Error('importer: a planned row was not kept by the first pass');
      const json = kept.json(write.kept);
      yield { write, feature: JSON.parse(json) as StoredFeature, json };
    }
    return;
  }
  let seen = 0;
  for await (const { row, value } of sourceRows(job.source, job.layer).rows) {
    const write = job.plan.writes.get(row);
    if (!write) continue;
    const feature = toFeature(job.layer.mappable, value);
    if (job.layer.codec.keyOf(feature) !== write.key || fingerprint(job.layer.codec, feature) !== write.hash) sourceChanged(`row ${row} differs`);
    seen++;
    yield { write, feature };
  }
  if (seen !== job.plan.writes.size) sourceChanged('rows went missing');
}

/** IMPORT_SOURCE_CHANGED: the file is not what was validated; `what` says how. */
export function sourceChanged(what: string): never {
  throw new ImportRunError('IMPORT_SOURCE_CHANGED', `The file changed while it was imported (${what} since validation); nothing was written.`);
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

async function flush(trx: Knex.Transaction, job: WriteJob, load: FeatureLoad<StoredFeature>, batch: Batch): Promise<void> {
  if (batch.length === 0) return;
  const { codec } = job.layer;
  const changedKeys = batch.filter((b) => b.write.action === 'change').map((b) => b.write.key);
  const before = await readByKeys(trx, codec, changedKeys);
  await deleteByKeys(trx, codec, changedKeys);
  await load.insert(batch.map((b) => b.feature));
  const entries = (action: 'add' | 'change') => batch.filter((b) => b.write.action === action)
    .map((b) => ({ featureId: b.write.key, before: before.get(b.write.key) ?? null, after: b.feature, afterJson: b.json }));
  await recordHistory(trx, codec.table, job.importId, job.validFrom, 'add', entries('add'));
  await recordHistory(trx, codec.table, job.importId, job.validFrom, 'change', entries('change'));
}
