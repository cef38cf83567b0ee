import type { Knex } from 'knex';
import { readDataVersion } from '../src/store/meta.js';
import { isSqlite } from '../src/store/spatial-table.js';
import { recordImport, type ImportRecord, type ImportState } from './history.js';
import type { ImportLayer } from './import-layers.js';
import type { ImportMode } from './modes.js';
import type { ValidationReport } from './report.js';
import type { ValidationResult } from './validate.js';

/**
 * What both ways of writing an import share (import.ts: validate, then plan and write; first-import.ts:
 * write while validating into an empty layer): the run's identity, the journal row and the result made
 * from a validation, the rule for when errors block the import, and the writers' lock.
 */
export interface ImportSummary {
  added: number;
  changed: number;
  retired: number;
  unchanged: number;
  skipped: number;
}

export interface ImportResult {
  importId: string;
  state: ImportState;
  summary: ImportSummary;
  report: ValidationReport;
  /** Rows with errors, left out by --skip-invalid or the reason for a rejection (the first `report.maxProblems`). */
  skippedRows: number[];
  /** The store's data version after the import (unchanged unless the import applied). */
  dataVersion: number;
}

export interface Run {
  layer: ImportLayer;
  mode: ImportMode;
  validFrom: string;
  journal: Pick<ImportRecord, 'id' | 'layer' | 'mode' | 'sourceName' | 'startedAt'>;
}

export const NOTHING: ImportSummary = { added: 0, changed: 0, retired: 0, unchanged: 0, skipped: 0 };

/** The journal row and the result of one run, for a validation and the state it ends in. */
export interface Outcome {
  /** Errors stop the import: no --skip-invalid, a row-less error, or no valid row (a replace would empty the layer). */
  blocked: boolean;
  record(state: ImportState, summary: ImportSummary): ImportRecord;
  result(state: ImportState, summary: ImportSummary, dataVersion: number): ImportResult;
}

export function outcomeOf(run: Run, validation: ValidationResult, skipInvalid: boolean): Outcome {
  const { report, rowlessErrors, invalidRows } = validation;
  const skippedRows = [...invalidRows].sort((a, b) => a - b).slice(0, report.maxProblems);
  const blocked = report.verdict === 'rejected' && (!skipInvalid || rowlessErrors > 0 || report.counts.valid === 0);
  return {
    blocked,
    record: (state, summary) => ({ ...run.journal, state, finishedAt: new Date().toISOString(), summary: { ...summary, skippedRows }, report }),
    result: (state, summary, dataVersion) => ({ importId: run.journal.id, state, summary, report, skippedRows, dataVersion }),
  };
}

/** A run that writes nothing but its journal row (rejected, or nothing to change), in its own transaction. */
export async function journalOnly(db: Knex, outcome: Outcome, state: ImportState, summary: ImportSummary): Promise<ImportResult> {
  await db.transaction((trx) => recordImport(trx, outcome.record(state, summary)));
  return outcome.result(state, summary, await readDataVersion(db));
}

/** PostgreSQL: writers serialise on the data-version row (SQLite has one writer and one connection). */
export async function lockDataVersion(trx: Knex.Transaction): Promise<void> {
  if (!isSqlite(trx)) await trx('wanmi_meta').where({ key: 'data_version' }).forUpdate().first();
}
