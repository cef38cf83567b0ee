/**
 * The reading half of the census importer: files in, raw records in CGCS2000 out, then field mapping.
 * Writing to the store and GB/T 30428 validation are later stages and live elsewhere.
 */
// readSource: .zip / .shp / .geojson / .csv → Source with a record stream.
export { readSource } from './read-source.js';
// mapRecords: raw records → row types of src/domain/types.ts, with per-row problems.
export {
  checkMapping, loadMapping, mapRecords, MAPPING_PROBLEMS, resolveMapping,
  type FieldMapping, type MappableLayer, type Mapped, type MappedRecords, type MappedRow, type MappedRowValue,
  type MappingProblem, type MappingProblemCode, type MappingReport, type Resolution,
} from './field-mapping.js';
// The error and warning tables.
export {
  IMPORT_ERRORS, IMPORT_WARNINGS, ImportError,
  type ImportErrorCode, type ImportErrorDetails, type ImportWarning, type ImportWarningCode,
} from './errors.js';
// Encoding detection, shared with anything else that reads Chinese text files.
export { detectEncoding, normalizeEncoding, type DetectedEncoding, type EncodingSource } from './encoding.js';
// Caps against hostile files.
export { DEFAULT_LIMITS, type ReadLimits } from './limits.js';
// Record and source types.
export type { CrsInfo, RawRecord, ReadOptions, Source, SourceField, SourceFormat } from './types.js';
// Validation of mapped rows against GB/T 30428 (codes, classes, geometry, grid topology): the report.
export { createValidator, validateRows } from './validate.js';
export { VALIDATION_PROBLEMS, DEFAULT_PROBLEM_SEVERITY, type ValidationReport } from './report.js';
// The all-or-nothing import with replace/update modes and per-feature history.
export { importLayer } from './import.js';
// "What changed in this census" and "as of date X".
export { changesOfImport, featureAsOf, featureHistory, layerAsOf, readImport, listImports } from './history.js';
