import cliProgress from 'cli-progress';
import type { Knex } from 'knex';
import { loadLayerContext, loadReferences } from './context.js';
import { ImportError } from './errors.js';
import { exportLayer, type ExportOptions } from './export/index.js';
import { importLayer, type ImportOptions } from './import.js';
import { ImportRunError } from './import-errors.js';
import { resolveImportLayer } from './import-layers.js';
import { describeSource, formatImport, formatReport } from './report-format.js';
import type { Severity } from './report.js';
import { openSource, sourceRows, type ImportProgress, type SourceOptions } from './source-rows.js';
import { createValidator, type ValidationOptions } from './validate.js';

/**
 * `wanmi validate` and `wanmi import`: option parsing, the progress bar (stderr, TTY only, so --json
 * output stays clean), the readable summary and exit codes — 0 ok or warnings, 2 rejected, 1 an error
 * with its stable code. Expected errors print `wanmi: WANMI_<code>: message`, never a stack trace.
 */
export interface CommandOptions extends SourceOptions {
  layer: string;
  mode?: 'replace' | 'update';
  json?: boolean;
  skipInvalid?: boolean;
  retireMissing?: boolean;
  validFrom?: string;
  severity?: string;
  maxProblems?: number;
  legacy14?: boolean;
}

export interface CommandIo {
  /** The store, or null to validate without it (no grids or communities to check against). */
  openStore(): Promise<{ db: Knex; close(): Promise<void> } | null>;
  out(line: string): void;
  err(line: string): void;
}

export const EXIT = { ok: 0, failed: 1, rejected: 2 } as const;

/** "GRID_GAP=error,ADMIN_UNKNOWN_STREET=warning" → { GRID_GAP: 'error', … }. */
export function parseSeverity(spec: string | undefined): Partial<Record<string, Severity>> {
  const out: Partial<Record<string, Severity>> = {};
  for (const part of (spec ?? '').split(',').filter(Boolean)) {
    const [code, level] = part.split('=').map((s) => s.trim());
    if (level !== 'error' && level !== 'warning') throw new ImportRunError('IMPORT_BAD_OPTION', `--severity ${JSON.stringify(part)} must be CODE=error or CODE=warning.`);
    out[code] = level;
  }
  return out;
}

function validationOptions(o: CommandOptions): ValidationOptions {
  return { severity: parseSeverity(o.severity), allowLegacy14: o.legacy14, ...(o.maxProblems ? { maxProblems: o.maxProblems } : {}) };
}

function progressBar(): { update(p: ImportProgress): void; stop(): void } {
  const bar = new cliProgress.SingleBar({ format: '{phase} [{bar}] {value}/{total} rows', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
  let phase: string | null = null;
  return {
    update(p) {
      if (p.phase !== phase) {
        if (phase) bar.stop();
        phase = p.phase;
        bar.start(p.total ?? 0, p.done, { phase: p.phase.padEnd(8) });
      }
      if (p.total !== null) bar.setTotal(p.total);
      else bar.setTotal(p.done);
      bar.update(p.done, { phase: p.phase.padEnd(8) });
    },
    stop() {
      if (phase !== null) bar.stop();
      phase = null;
    },
  };
}

/** Runs a command body, turning expected errors into their stable code and exit status 1. */
async function guarded(io: CommandIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof ImportError || err instanceof ImportRunError) {
      const at = err instanceof ImportError ? [err.file, err.row && `row ${err.row}`, err.field].filter(Boolean).join(', ') : '';
      io.err(`wanmi: WANMI_${err.code}: ${err.message}${at ? ` (${at})` : ''}`);
      return EXIT.failed;
    }
    throw err;
  }
}

export function validateCommand(path: string, o: CommandOptions, io: CommandIo): Promise<number> {
  return guarded(io, async () => {
    const layer = resolveImportLayer(o.layer);
    if (!layer) throw new ImportRunError('IMPORT_UNKNOWN_LAYER', `--layer ${JSON.stringify(o.layer)} is none of grids, components, addresses, roads, admin, zones.`);
    const options = validationOptions(o);
    const store = await io.openStore();
    const refs = await loadReferences(store?.db ?? null);
    const source = await openSource(path, o);
    const bar = progressBar();
    try {
      const extra = store ? await loadLayerContext(store.db, layer.mappable, o.mode ?? 'replace') : {};
      const validator = createValidator(layer.mappable, { gazetteer: refs.gazetteer, dictionary: refs.dictionary, ...extra }, options);
      let n = 0;
      for await (const row of sourceRows(source, layer).rows) {
        validator.add(row);
        if (++n % 1000 === 0) bar.update({ phase: 'validate', done: n, total: null });
      }
      bar.stop();
      const { report } = validator.finish();
      if (o.json) io.out(JSON.stringify({ source: { file: path, format: source.format, encoding: source.encoding, crs: source.crs.label, warnings: source.warnings }, report }, null, 1));
      else [...describeSource(path, source), ...formatReport(report)].forEach(io.out);
      return report.verdict === 'rejected' ? EXIT.rejected : EXIT.ok;
    } finally {
      bar.stop();
      await source.close();
      refs.close();
      await store?.close();
    }
  });
}

export function importCommand(path: string, o: CommandOptions, io: CommandIo): Promise<number> {
  return guarded(io, async () => {
    const store = await io.openStore();
    if (!store) throw new ImportRunError('IMPORT_BAD_OPTION', 'No store is configured to import into (WANMI_DATA or WANMI_DATABASE_URL).');
    const bar = progressBar();
    try {
      const options: ImportOptions = {
        ...o, mode: o.mode ?? 'replace', validation: validationOptions(o), onProgress: (p) => bar.update(p),
      };
      const result = await importLayer(store, path, options);
      bar.stop();
      if (o.json) io.out(JSON.stringify(result, null, 1));
      else [...formatReport(result.report), ...formatImport(result, o.layer, options.mode!)].forEach(io.out);
      return result.state === 'rejected' ? EXIT.rejected : EXIT.ok;
    } finally {
      bar.stop();
      await store.close();
    }
  });
}

/** `wanmi export`: one layer of the store to GeoJSON, CSV, shapefile or GeoPackage; prints the files written. */
export function exportCommand(o: ExportOptions, io: CommandIo): Promise<number> {
  return guarded(io, async () => {
    const store = await io.openStore();
    if (!store) throw new ImportRunError('IMPORT_BAD_OPTION', 'No store is configured to export from (WANMI_DATA or WANMI_DATABASE_URL).');
    try {
      const started = performance.now();
      const result = await exportLayer(store.db, o);
      const s = ((performance.now() - started) / 1000).toFixed(1);
      io.out(`${result.count} ${o.layer} features → ${o.format} (${s} s):`);
      result.files.forEach((f) => io.out(`  ${f}`));
      result.warnings.forEach((w) => io.err(`wanmi: warning: ${w}`));
      return EXIT.ok;
    } finally {
      await store.close();
    }
  });
}
