import type { Knex } from 'knex';
import { featureJsonSql } from '../src/store/feature-json.js';
import { bulkInsert } from '../src/store/layer-io.js';
import type { LayerCodec } from '../src/store/layers.js';
import { isSqlite } from '../src/store/spatial-table.js';

/**
 * The per-feature history (table feature_history, migration 004) and the imports journal (imports).
 *
 * Each add, change or retire of a feature by an import is one history row: the feature as JSON before
 * and after, the import id, and its validity [valid_from, valid_to). A change or retire closes the
 * feature's open row (valid_to = the new row's valid_from), so a feature's rows tile its timeline:
 *
 *   add ───────────────┐ change ───────────────┐ retire
 *   valid_from=T1       valid_from=T2           valid_from=T3 (after = null)
 *   valid_to=T2         valid_to=T3             valid_to = null
 *
 * Times are ISO 8601 strings in UTC, compared as text (ISO sorts chronologically). Features written
 * before any import (the demo city) have no rows until an import first touches them.
 */
type Db = Knex | Knex.Transaction;

export type HistoryAction = 'add' | 'change' | 'retire';

export interface HistoryEntry {
  layer: string;
  featureId: string;
  importId: string | null;
  action: HistoryAction;
  validFrom: string;
  validTo: string | null;
  before: unknown;
  after: unknown;
}

/** Feature ids per UPDATE … IN (…) when closing open rows: well under both stores' parameter limits. */
const CHUNK = 500;
const COLUMNS = ['layer', 'feature_id', 'import_id', 'action', 'valid_from', 'valid_to', 'before', 'after'];

/**
 * Appends history rows for one action, closing each feature's open row first (a change or retire;
 * an add has none). The rows go through the store's bulk path (a prepared statement, or COPY).
 */
export async function recordHistory(
  db: Db, layer: string, importId: string, validFrom: string, action: HistoryAction,
  entries: ReadonlyArray<{ featureId: string; before: unknown; after: unknown; afterJson?: string }>,
): Promise<void> {
  if (entries.length === 0) return;
  if (action !== 'add') {
    for (let i = 0; i < entries.length; i += CHUNK) {
      const ids = entries.slice(i, i + CHUNK).map((e) => e.featureId);
      await db('feature_history').where({ layer }).whereNull('valid_to').whereIn('feature_id', ids).update({ valid_to: validFrom });
    }
  }
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  // Rows are made as they are written, so each JSON text is garbage as soon as it is stored.
  function* rows(): Generator<unknown[]> {
    for (const e of entries) yield [layer, e.featureId, importId, action, validFrom, null, json(e.before), e.afterJson ?? json(e.after)];
  }
  await bulkInsert(db, 'feature_history', COLUMNS, rows());
}

/**
 * The `add` rows of features just inserted into a layer (`fids`: their rows, as the bulk load gave
 * them), written by the store from the stored rows in one `INSERT … SELECT` (src/store/feature-json.ts
 * spells each row as its feature's JSON; the geometries come along as one JSON array, since SQLite
 * cannot read a geometry blob), in the order of `features`. Returns false, writing nothing, for a layer
 * or store without that spelling: the caller records the history with recordHistory instead.
 */
export async function recordStoredAdds<T extends { geometry: unknown }>(
  db: Knex.Transaction, codec: LayerCodec<T>, importId: string, validFrom: string, features: readonly T[], fids: readonly number[],
): Promise<boolean> {
  const after = featureJsonSql(codec.table, 'f', "g.value -> '$[1]'");
  if (!after || !isSqlite(db) || fids.length !== features.length) return false;
  if (features.length === 0) return true;
  const pairs = features.map((f, i) => `[${fids[i]},${JSON.stringify(f.geometry)}]`);
  // json_each drives the join (CROSS JOIN keeps that order), each row found by its fid.
  await db.raw(
    `INSERT INTO feature_history (${COLUMNS.map((c) => `"${c}"`).join(', ')})
     SELECT ?, f.??, ?, 'add', ?, NULL, NULL, ${after}
     FROM json_each(?) AS g CROSS JOIN ?? AS f ON f.fid = g.value ->> '$[0]' ORDER BY g.key`,
    [codec.table, codec.key, importId, validFrom, `[${pairs.join(',')}]`, codec.table],
  );
  return true;
}

function toEntry(r: Record<string, any>): HistoryEntry {
  return {
    layer: r.layer, featureId: r.feature_id, importId: r.import_id, action: r.action,
    validFrom: r.valid_from, validTo: r.valid_to ?? null,
    before: r.before ? JSON.parse(r.before) : null, after: r.after ? JSON.parse(r.after) : null,
  };
}

/** What changed in one import: its history rows in the order they were written. */
export async function changesOfImport(db: Db, importId: string, options: { action?: HistoryAction } = {}): Promise<HistoryEntry[]> {
  const q = db('feature_history').where({ import_id: importId }).orderBy('id');
  if (options.action) q.andWhere({ action: options.action });
  return (await q).map(toEntry);
}

/** Every history row of a feature, oldest first. */
export async function featureHistory(db: Db, layer: string, featureId: string): Promise<HistoryEntry[]> {
  return (await db('feature_history').where({ layer, feature_id: featureId }).orderBy('id')).map(toEntry);
}

/** A date alone means the whole day: "as of 2024-03-01" includes that day's imports. */
function endOf(isoDate: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? `${isoDate}T23:59:59.999Z` : isoDate;
}

/**
 * A feature as of a date: the `after` of its last history row valid then; null when it did not exist
 * (not yet added, or retired). Before its first row the feature is what that row's `before` says, when
 * that row is a change or retire (it existed before imports began recording it), else absent.
 */
export async function featureAsOf(db: Db, layer: string, featureId: string, isoDate: string): Promise<unknown | null> {
  const at = endOf(isoDate);
  const rows = await featureHistory(db, layer, featureId);
  const valid = rows.filter((r) => r.validFrom <= at);
  if (valid.length > 0) return valid[valid.length - 1].after;
  return rows.length > 0 && rows[0].action !== 'add' ? rows[0].before : null;
}

/** Ids of a layer's features that existed as of a date, according to the history alone. */
export async function layerAsOf(db: Db, layer: string, isoDate: string): Promise<string[]> {
  const at = endOf(isoDate);
  const rows = await db('feature_history').where({ layer }).andWhere('valid_from', '<=', at)
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', at)).select('feature_id', 'action').orderBy('feature_id');
  return rows.filter((r: Record<string, string>) => r.action !== 'retire').map((r: Record<string, string>) => r.feature_id);
}

export type ImportState = 'applied' | 'unchanged' | 'rejected';

export interface ImportRecord {
  id: string;
  layer: string;
  mode: string;
  sourceName: string;
  state: ImportState;
  startedAt: string;
  finishedAt: string | null;
  summary: unknown;
  report: unknown;
}

export async function recordImport(db: Db, r: ImportRecord): Promise<void> {
  await db('imports').insert({
    id: r.id, layer: r.layer, mode: r.mode, source_name: r.sourceName, state: r.state, started_at: r.startedAt,
    finished_at: r.finishedAt, summary: JSON.stringify(r.summary), report: JSON.stringify(r.report),
  });
}

function toImport(r: Record<string, any>): ImportRecord {
  return {
    id: r.id, layer: r.layer, mode: r.mode, sourceName: r.source_name, state: r.state, startedAt: r.started_at,
    finishedAt: r.finished_at, summary: r.summary ? JSON.parse(r.summary) : null, report: r.report ? JSON.parse(r.report) : null,
  };
}

export async function readImport(db: Db, id: string): Promise<ImportRecord | undefined> {
  const row = await db('imports').where({ id }).first();
  return row ? toImport(row) : undefined;
}

/** Imports, newest first (reports left out: they can be large). */
export async function listImports(db: Db, options: { layer?: string; limit?: number } = {}): Promise<Omit<ImportRecord, 'report'>[]> {
  const q = db('imports').select('id', 'layer', 'mode', 'source_name', 'state', 'started_at', 'finished_at', 'summary').orderBy('started_at', 'desc').limit(options.limit ?? 100);
  if (options.layer) q.where({ layer: options.layer });
  return (await q).map((r: Record<string, any>) => { const { report: _r, ...rest } = toImport(r); return rest; });
}
