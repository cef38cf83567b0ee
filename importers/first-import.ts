import type { Knex } from 'knex';
import { deferIndexes, startFeatureLoad, tuneForBulkLoad } from '../src/store/layer-io.js';
import { bumpDataVersion } from '../src/store/meta.js';
import { recordHistory, recordImport, recordStoredAdds } from './history.js';
import type { ImportOptions } from './import.js';
import { toFeature, type StoredFeature } from './import-layers.js';
import { journalOnly, lockDataVersion, NOTHING, outcomeOf, type ImportResult, type Outcome, type Run } from './import-run.js';
import { emptyTables } from './layer-store.js';
import { sourceRows } from './source-rows.js';
import type { Source } from './types.js';
import { createValidator, type ValidationContext, type ValidationResult } from './validate.js';

/**
 * A first import: the layer is empty, so every valid row is an add and there is nothing to diff
 * against. The file is read once and each valid row is written as soon as it is validated, inside the
 * import's one transaction:
 *   1. under the data-version lock, check the layer is still empty (else return null: import.ts plans);
 *   2. read + map + validate; valid rows go to the store in batches (the bulk load of layer-io.ts, the
 *      layer's secondary indexes dropped for the load);
 *   3. errors that block the import, or nothing to add → roll everything back, then write the journal
 *      row alone (journalOnly): the store ends exactly as if nothing had been written;
 *   4. the R-tree, the indexes, the journal, the data version; commit.
 * Each batch's history `add` rows are written with it: by the store from the rows just written
 * (history.ts recordStoredAdds, GeoPackage) or as JSON made here (recordHistory).
 * No fingerprints (a later import computes the stored ones itself, modes.ts) and no features kept in
 * memory. Not for grids: their topology errors are only known after the last row.
 */
export async function importIntoEmptyLayer(
  db: Knex, run: Run, source: Source, context: ValidationContext, options: ImportOptions,
): Promise<ImportResult | null> {
  const { table } = run.layer.codec;
  if (run.layer.mappable === 'grids' || (await emptyTables(db, [table])).length === 0) return null;
  try {
    return await db.transaction(async (trx) => {
      await lockDataVersion(trx);
      if ((await emptyTables(trx, [table])).length === 0) return null;
      return await writeWhileValidating(trx, run, source, context, options);
    });
  } catch (err) {
    if (err instanceof Discard) return journalOnly(db, err.outcome, err.state, err.summary);
    throw err;
  }
}

/** Thrown out of the transaction to roll back the rows written so far and record only the journal. */
class Discard extends Error {
  constructor(readonly outcome: Outcome, readonly state: 'rejected' | 'unchanged', readonly summary: typeof NOTHING) {
    super(`import ${state}: its writes are rolled back`);
  }
}

/** Rows per bulk insert: bounds the features held at once. */
const BATCH = 5_000;
const PROGRESS_EVERY = 1000;

async function writeWhileValidating(
  trx: Knex.Transaction, run: Run, source: Source, context: ValidationContext, options: ImportOptions,
): Promise<ImportResult> {
  const { codec } = run.layer;
  const restore = await tuneForBulkLoad(trx);
  try {
    const reindex = await deferIndexes(trx, await emptyTables(trx, [codec.table, 'feature_history']));
    const load = await startFeatureLoad(trx, codec);
    const write = async (batch: StoredFeature[]) => recordAdds(trx, run, batch, await load.insert(batch));
    const { validation, written } = await validateAndWrite(run, source, context, options, overlapped(write));
    const outcome = outcomeOf(run, validation, options.skipInvalid ?? false);
    if (outcome.blocked) throw new Discard(outcome, 'rejected', NOTHING);
    const summary = { ...NOTHING, added: written, skipped: validation.invalidRows.size };
    if (written === 0) throw new Discard(outcome, 'unchanged', summary);
    options.onProgress?.({ phase: 'write', done: 0, total: written });
    await load.finish();
    await reindex();
    await recordImport(trx, outcome.record('applied', summary));
    await options.beforeCommit?.(trx);
    const dataVersion = await bumpDataVersion(trx, [codec.table]);
    options.onProgress?.({ phase: 'write', done: written, total: written });
    return outcome.result('applied', summary, dataVersion);
  } finally {
    await restore();
  }
}

/**
 * `write` for one batch while the next is read and validated: on PostGIS the server parses and stores
 * a COPY on its own core meanwhile. One batch in flight at a time, so batches stay in file order and
 * memory bounded; a failed write fails the next call (or the last, `flush([])` at the end).
 */
function overlapped(write: (batch: StoredFeature[]) => Promise<void>): (batch: StoredFeature[]) => Promise<void> {
  let inFlight: Promise<void> = Promise.resolve();
  return async (batch) => {
    await inFlight;
    inFlight = batch.length > 0 ? write(batch) : Promise.resolve();
    // Awaited by the next call; until then a failure must not count as unhandled.
    inFlight.catch(() => undefined);
    if (batch.length === 0) await inFlight;
  };
}

/** Step 2: every row validated, the valid ones handed to `flush` in batches, in file order. */
async function validateAndWrite(
  run: Run, source: Source, context: ValidationContext, options: ImportOptions, flush: (batch: StoredFeature[]) => Promise<void>,
): Promise<{ validation: ValidationResult; written: number }> {
  const { mappable } = run.layer;
  const validator = createValidator(mappable, context, options.validation);
  let batch: StoredFeature[] = [];
  let written = 0;
  let n = 0;
  // A key is valid at most once: the validator refuses its later rows as DUPLICATE_ID.
  for await (const row of sourceRows(source, run.layer).rows) {
    if (validator.add(row)) {
      batch.push(toFeature(mappable, row.value));
      if (batch.length >= BATCH) {
        await flush(batch);
        written += batch.length;
        batch = [];
      }
    }
    if (++n % PROGRESS_EVERY === 0) options.onProgress?.({ phase: 'validate', done: n, total: null });
  }
  await flush(batch);
  written += batch.length;
  await flush([]);
  options.onProgress?.({ phase: 'validate', done: n, total: n });
  return { validation: validator.finish(), written };
}

/** A batch's `add` rows: spelled by the store from the rows just written when it can, else as JSON here. */
async function recordAdds(trx: Knex.Transaction, run: Run, batch: readonly StoredFeature[], fids: readonly number[]): Promise<void> {
  const { codec } = run.layer;
  if (await recordStoredAdds(trx, codec, run.journal.id, run.validFrom, batch, fids)) return;
  const entries = batch.map((f) => ({ featureId: codec.keyOf(f), before: null, after: f }));
  await recordHistory(trx, codec.table, run.journal.id, run.validFrom, 'add', entries);
}
