import type { ImportResult } from './import.js';
import { DEFAULT_PROBLEM_SEVERITY, type ValidationReport } from './report.js';
import type { Source } from './types.js';

/**
 * The readable summary the CLI prints: the verdict, counts per code, the first problems, skipped
 * checks, reader warnings. The JSON report (`--json`) holds everything; this is for a person.
 */
const FIRST = 20;

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));

export function describeSource(file: string, source: Pick<Source, 'format' | 'encoding' | 'crs' | 'warnings'>): string[] {
  const lines = [`${file}: ${source.format}, ${source.encoding}, ${source.crs.label} (${source.crs.source})`];
  for (const w of source.warnings) lines.push(`  note ${w.code}: ${w.message}`);
  return lines;
}

export function formatReport(report: ValidationReport): string[] {
  const { rows, invalid, warnings } = report.counts;
  const lines = [`${report.layer}: ${rows} rows — ${report.verdict.toUpperCase()}: ${invalid} with errors, ${warnings} with warnings`];
  const codes = Object.entries(report.byCode).sort(([a], [b]) => (a < b ? -1 : 1));
  if (codes.length > 0) {
    const severity = new Map(report.problems.map((p) => [p.code, p.severity]));
    lines.push('problems by code:');
    for (const [code, n] of codes) lines.push(`  ${pad(code, 28)} ${pad(severity.get(code) ?? DEFAULT_PROBLEM_SEVERITY[code] ?? '', 8)} ${n}`);
  }
  if (report.problems.length > 0) {
    lines.push(`first problems${report.problems.length > FIRST || report.truncated ? ` (${FIRST} shown; --json lists ${report.truncated ? `the first ${report.maxProblems}` : 'all'})` : ''}:`);
    for (const p of report.problems.slice(0, FIRST)) {
      const where = p.row === null ? 'whole file' : `row ${p.row}`;
      lines.push(`  ${pad(where, 10)} ${pad(p.featureId ?? '-', 17)} ${pad(p.field ?? '', 14)} ${p.code}: ${p.message}`);
    }
  }
  for (const s of report.checksSkipped) lines.push(`not checked (${s.check}): ${s.reason}`);
  lines.push(`checked against ${report.references.gazetteer}; classes ${report.references.dictionary.join(' + ')}`);
  return lines;
}

export function formatImport(result: ImportResult, layer: string, mode: string): string[] {
  const s = result.summary;
  const head = {
    applied: `import ${result.importId} applied to ${layer} (${mode})`,
    unchanged: `import ${result.importId}: nothing to change in ${layer} (${mode}); the data version stays`,
    rejected: `import ${result.importId} REJECTED: nothing was written to ${layer}`,
  }[result.state];
  const lines = [head];
  if (result.state !== 'rejected') {
    lines.push(`  added ${s.added}, changed ${s.changed}, retired ${s.retired}, unchanged ${s.unchanged}, skipped ${s.skipped}; data version ${result.dataVersion}`);
  }
  if (result.skippedRows.length > 0 && result.state !== 'rejected') {
    const shown = result.skippedRows.slice(0, 50).join(', ');
    lines.push(`  skipped rows: ${shown}${result.skippedRows.length > 50 || s.skipped > result.skippedRows.length ? ', …' : ''}`);
  }
  if (result.state === 'rejected') lines.push('  fix the errors, or import the valid rows with --skip-invalid');
  return lines;
}
