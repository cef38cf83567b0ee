/**
 * Errors of an import run (the readers' table is errors.ts, which this half does not change). Same
 * rules: stable codes, never renamed or reused, exposed by the CLI and HTTP as `WANMI_<code>`.
 */
export const IMPORT_RUN_ERRORS = {
  /** --layer names no importable layer (grids, components, addresses, roads, admin, zones). */
  IMPORT_UNKNOWN_LAYER: 'IMPORT_UNKNOWN_LAYER',
  /** An option has a value outside its range (a mode other than replace/update, a bad date…). */
  IMPORT_BAD_OPTION: 'IMPORT_BAD_OPTION',
  /** The file changed between validation and writing (its second reading differs); nothing was written. */
  IMPORT_SOURCE_CHANGED: 'IMPORT_SOURCE_CHANGED',
} as const;

export type ImportRunErrorCode = (typeof IMPORT_RUN_ERRORS)[keyof typeof IMPORT_RUN_ERRORS];

export class ImportRunError extends Error {
  readonly code: ImportRunErrorCode;

  constructor(code: ImportRunErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportRunError';
    this.code = code;
  }
}
