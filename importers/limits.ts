import { ImportError } from './errors.js';

/** Caps that keep a hostile or broken file from exhausting memory, disk or time. */
export interface ReadLimits {
  /** Records per source; a header declaring more is refused before reading. */
  maxRecords: number;
  /** Total uncompressed bytes of the zip entries (all entries, as declared, and as actually inflated). */
  maxZipBytes: number;
  /** Uncompressed/compressed ratio allowed for an entry larger than 1 MiB (zip bombs reach 1000+). */
  maxZipRatio: number;
  maxZipEntries: number;
}

export const DEFAULT_LIMITS: Readonly<ReadLimits> = {
  maxRecords: 10_000_000,
  maxZipBytes: 4 * 1024 ** 3,
  maxZipRatio: 200,
  maxZipEntries: 10_000,
};

const MiB = 1024 * 1024;

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/**
 * The error for a header that declares more bytes than the file has. A file cut short (an interrupted
 * copy or upload) is IMPORT_TRUNCATED; a header claiming over ten times what exists (and over 1 MiB more)
 * is lying rather than cut — IMPORT_TOO_MANY_RECORDS — and is refused before anything is allocated.
 */
export function shortFileError(declared: number, actual: number, what: string, file: string): ImportError {
  const absurd = declared > 10 * actual && declared - actual > MiB;
  const message = absurd
    ? `The ${what} header declares ${formatBytes(declared)} of records but the file is only ${formatBytes(actual)}: the header is corrupt.`
    : `The ${what} file is truncated: its header declares ${formatBytes(declared)} but only ${formatBytes(actual)} are there.`;
  return new ImportError(absurd ? 'IMPORT_TOO_MANY_RECORDS' : 'IMPORT_TRUNCATED', message, { file });
}

export function tooManyRecords(count: number, limit: number, file: string): ImportError {
  return new ImportError(
    'IMPORT_TOO_MANY_RECORDS',
    `The file holds ${count} records, more than the limit of ${limit}.`,
    { file },
  );
}
