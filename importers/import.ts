import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ClassDictionary } from '../src/domain/classes.js';
import type { AdminLookup } from '../src/domain/reference.js';
import { bumpDataVersion, readDataVersion } from '../src/store/meta.js';
import { loadLayerContext, loadReferences } from './context.js';
import { recordImport } from './history.js';
import { ImportRunError } from './import-errors.js';
import { resolveImportLayer, scopeOf, toFeature, type ImportLayer } from './import-layers.js';
import { journalOnly, lockDataVersion, NOTHING, outcomeOf, type ImportResult, type ImportSummary, type Run } from './import-run.js';
import { fingerprint } from './fingerprint.js';
import { FeatureArena } from './feature-arena.js';
import { importIntoEmptyLayer } from './first-import.js';
import { isEmptyPlan, planImport, storedEntries, type FileEntry, type ImportMode, type ImportPlan } from './modes.js';
import { openSource, sourceRows, type ImportProgress, type SourceOptions } from './source-rows.js';
import type { Source } from './types.js';
import { createValidator, keyOfRow, type ValidationContext, type ValidationOptions, type ValidationResult } from './validate.js';
import { sourceChanged, writePlan } from './write.js';
import { stampOf } from './source-stamp.js';

export type { ImportProgress } from './source-rows.js';
export type { ImportResult, ImportSummary } from './import-run.js';

/**
 * `importLayer`: a census file into one layer of the store, all or nothing.
 *
 * Into an empty layer (not grids) the rows are written while they are validated, in one transaction
 * that a blocked import rolls back (first-import.ts). Otherwise:
 *   1. read + map + validate, the only pass over the file: keys and fingerprints are kept, and the
 *      valid features themselves as JSON while they fit in `retainBytes` (else the write re-reads them);
 *   2. rejected (errors, and no --skip-invalid) → record the import as rejected, write nothing else;
 *   3. one transaction: plan against the stored fingerprints (modes.ts) — nothing to do → record it as
 *      unchanged — else retire and write the planned rows (write.ts; from memory, or re-read with each
 *      row's fingerprint checked against the first pass), history rows, the import row, the data
 *      version; a source file modified since it was opened aborts before the commit.
 *
 * Any failure in 3 rolls the whole transaction back: the store is exactly as before.
 */
export interface ImportOptions extends SourceOptions {
  /** grids | components | addresses | roads | admin | zones. */
  layer: string;
  mode?: ImportMode;
  /** Import the valid rows and list the others, instead of rejecting the file. */
  skipInvalid?: boolean;
  /** Update mode: retire stored features of the file's survey areas that the file no longer lists. */
  retireMissing?: boolean;
  /** When the changes take effect (history valid_from), ISO; default now. */
  validFrom?: string;
  validation?: ValidationOptions;
  /** Reference tables; by default the bundled gazetteer and the store's dictionary. */
  gazetteer?: AdminLookup;
  dictionary?: ClassDictionary;
  onProgress?: (p: ImportProgress) => void;
  /** The journal id of this import (the HTTP job id); default a new UUID. */
  importId?: string;
  /** What the journal records as the source (the uploaded file's name); default `path`. */
  sourceName?: string;
  /**
   * Memory for keeping validated features between validation and writing (their JSON, in bytes):
   * beyond it the file is read a second time instead. Default 1 GiB (a 1M-component census: ~650 MB).
   */
  retainBytes?: number;
  /** Runs inside the write transaction just before it commits; a throw rolls everything back (tests). */
  beforeCommit?: (trx: Knex.Transaction) => Promise<void> | void;
}

/** Pass-1 outcome: the validation and, per valid key, the row and fingerprint to write; the kept features. */
interface FirstPass {
  result: ValidationResult;
  file: Map<string, FileEntry>;
  skippedKeys: Set<string>;
  /** Null when the features did not fit: the write reads the file again. */
  kept: FeatureArena | null;
}

const RETAIN_BYTES = 2 ** 30;

export async function importLayer(store: { db: Knex } | Knex, path: string, options: ImportOptions): Promise<ImportResult> {
  const db = 'db' in store ? store.db : store;
  const layer = resolveImportLayer(options.layer);
  if (!layer) throw new ImportRunError('IMPORT_UNKNOWN_LAYER', `--layer ${JSON.stringify(options.layer)} is none of grids, components, addresses, roads, admin, zones.`);
  const mode = checkMode(options.mode ?? 'replace');
  const run: Run = {
    layer, mode, validFrom: checkDate(options.validFrom) ?? new Date().toISOString(),
    journal: { id: options.importId ?? randomUUID(), layer: layer.codec.table, mode, sourceName: options.sourceName ?? path, startedAt: new Date().toISOString() },
  };
  const refs = await loadReferences(db, options);
  const source = await openSource(path, options);
  try {
    const stamp = await stampOf(path);
    const context: ValidationContext = { gazetteer: refs.gazetteer, dictionary: refs.dictionary, ...(await loadLayerContext(db, layer.mappable, mode)) };
    const checked: ImportOptions = { ...options, beforeCommit: async (trx) => {
      // Kept features are what was validated whatever happens to the file; a file edited meanwhile
      // still aborts, as the second pass would have: the user meant to import something else.
      if (await stampOf(path) !== stamp) sourceChanged('the file was modified');
      await options.beforeCommit?.(trx);
    } };
    const first = await importIntoEmptyLayer(db, run, source, context, checked);
    if (first) return first;
    const pass = await firstPass(source, layer, context, options);
    return await settle(db, run, source, pass, checked);
  } finally {
    await source.close();
    refs.close();
  }
}

/** Steps 2 and 3: reject, or plan and write (or record a no-op) in one transaction. */
async function settle(db: Knex, run: Run, source: Source, pass: FirstPass, options: ImportOptions): Promise<ImportResult> {
  const outcome = outcomeOf(run, pass.result, options.skipInvalid ?? false);
  if (outcome.blocked) return journalOnly(db, outcome, 'rejected', NOTHING);
  // The plan is made inside the transaction, under the data-version lock, so a concurrent writer cannot
  // change the layer between the diff and the writes.
  return db.transaction(async (trx) => {
    await lockDataVersion(trx);
    const plan = planImport(pass.file, pass.skippedKeys, await storedEntries(trx, run.layer), run.mode, options.retireMissing ?? false);
    const summary = summarise(plan, pass.result.invalidRows.size);
    if (isEmptyPlan(plan)) {
      await recordImport(trx, outcome.record('unchanged', summary));
      return outcome.result('unchanged', summary, await readDataVersion(trx));
    }
    await writePlan(trx, { source, kept: pass.kept, layer: run.layer, plan, importId: run.journal.id, validFrom: run.validFrom, onProgress: options.onProgress });
    await recordImport(trx, outcome.record('applied', summary));
    await options.beforeCommit?.(trx);
    // Only this layer's version moves, so tiles of the other layers stay cached.
    return outcome.result('applied', summary, await bumpDataVersion(trx, [run.layer.codec.table]));
  });
}

function checkMode(mode: string): ImportMode {
  if (mode === 'replace' || mode === 'update') return mode;
  throw new ImportRunError('IMPORT_BAD_OPTION', `--mode ${JSON.stringify(mode)} is neither replace nor update.`);
}

function checkDate(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(t)) throw new ImportRunError('IMPORT_BAD_OPTION', `--valid-from ${JSON.stringify(v)} is not an ISO date.`);
  return new Date(t).toISOString();
}

const PROGRESS_EVERY = 1000;

async function firstPass(source: Source, layer: ImportLayer, context: ValidationContext, options: ImportOptions): Promise<FirstPass> {
  const validator = createValidator(layer.mappable, context, options.validation);
  const file = new Map<string, FileEntry>();
  const skippedKeys = new Set<string>();
  const budget = options.retainBytes ?? RETAIN_BYTES;
  let kept: FeatureArena | null = new FeatureArena();
  let n = 0;
  for await (const row of sourceRows(source, layer).rows) {
    const ok = validator.add(row);
    const key = keyOfRow(layer.mappable, row.value);
    if (!ok) {
      if (key) skippedKeys.add(key);
    } else if (!file.has(key)) {
      const feature = toFeature(layer.mappable, row.value);
      const entry: FileEntry = { row: row.row, hash: fingerprint(layer.codec, feature), scope: scopeOf(layer.mappable, feature) };
      if (kept) entry.kept = kept.add(JSON.stringify(feature));
      file.set(key, entry);
      if (kept && kept.bytes > budget) kept = forget(file, kept);
    }
    if (++n % PROGRESS_EVERY === 0) options.onProgress?.({ phase: 'validate', done: n, total: null });
  }
  options.onProgress?.({ phase: 'validate', done: n, total: n });
  const result = validator.finish();
  // Topology errors arrive at the end: drop those rows too.
  for (const [key, f] of file) if (result.invalidRows.has(f.row)) { file.delete(key); skippedKeys.add(key); }
  return { result, file, skippedKeys, kept };
}

/** Over the memory budget: drop the kept features; the write reads the file again (write.ts). */
function forget(file: Map<string, FileEntry>, kept: FeatureArena): null {
  for (const entry of file.values()) delete entry.kept;
  kept.clear();
  return null;
}

function summarise(plan: ImportPlan, skipped: number): ImportSummary {
  let added = 0;
  for (const w of plan.writes.values()) if (w.action === 'add') added++;
  return { added, changed: plan.writes.size - added, retired: plan.retire.length, unchanged: plan.unchanged, skipped };
}
