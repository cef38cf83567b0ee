/**
 * The importers' error table. Every failure a reader can hit has a stable code here; callers branch on
 * `code`, never on message text, and a code is never renamed or reused. The HTTP layer exposes them as
 * `WANMI_<code>` (e.g. WANMI_IMPORT_BAD_DBF). Messages are plain words for the person who sent the file.
 */
export const IMPORT_ERRORS = {
  /** The file (or a sidecar the format needs) does not exist or cannot be read. */
  IMPORT_NOT_FOUND: 'IMPORT_NOT_FOUND',
  /** The extension is none of .shp, .zip, .geojson/.json, .csv (optionally .gz). */
  IMPORT_UNKNOWN_FORMAT: 'IMPORT_UNKNOWN_FORMAT',
  /** The .shp header or a record is malformed (bad file code, part index, point count…). */
  IMPORT_BAD_SHP: 'IMPORT_BAD_SHP',
  /** The .shp holds a shape type Wanmi cannot read (MultiPatch). */
  IMPORT_UNSUPPORTED_SHAPE: 'IMPORT_UNSUPPORTED_SHAPE',
  /** The .shx does not describe the .shp (size, offsets or lengths disagree). */
  IMPORT_SHX_MISMATCH: 'IMPORT_SHX_MISMATCH',
  /** The .dbf header or field descriptors are malformed. */
  IMPORT_BAD_DBF: 'IMPORT_BAD_DBF',
  /** The .dbf and .shp hold different numbers of records. */
  IMPORT_COUNT_MISMATCH: 'IMPORT_COUNT_MISMATCH',
  /** A header declares far more data than the file holds (or more than the configured limit). */
  IMPORT_TOO_MANY_RECORDS: 'IMPORT_TOO_MANY_RECORDS',
  /** The file ends inside a record or before the size its header declares. */
  IMPORT_TRUNCATED: 'IMPORT_TRUNCATED',
  /** The .prj (or a GeoJSON crs member) names a CRS Wanmi does not know. */
  IMPORT_UNKNOWN_CRS: 'IMPORT_UNKNOWN_CRS',
  /** No .prj and no crs option, and the coordinates are not lon/lat, so the CRS cannot be assumed. */
  IMPORT_NO_CRS: 'IMPORT_NO_CRS',
  /** The encoding option or .cpg names an encoding this Node.js cannot decode. */
  IMPORT_BAD_ENCODING: 'IMPORT_BAD_ENCODING',
  /** The .zip is not a readable zip (bad central directory, encrypted entry, unsupported method). */
  IMPORT_BAD_ZIP: 'IMPORT_BAD_ZIP',
  /** A zip entry name is absolute or climbs out of the archive (`..`). */
  IMPORT_ZIP_TRAVERSAL: 'IMPORT_ZIP_TRAVERSAL',
  /** A zip entry is a symbolic link. */
  IMPORT_ZIP_SYMLINK: 'IMPORT_ZIP_SYMLINK',
  /** The zip would unpack to more than the size, ratio or entry-count limits. */
  IMPORT_ZIP_BOMB: 'IMPORT_ZIP_BOMB',
  /** The container holds no readable layer, or not the one asked for. */
  IMPORT_LAYER_NOT_FOUND: 'IMPORT_LAYER_NOT_FOUND',
  /** The container holds several layers and none was chosen. */
  IMPORT_LAYER_AMBIGUOUS: 'IMPORT_LAYER_AMBIGUOUS',
  /** The file is not valid JSON. */
  IMPORT_BAD_JSON: 'IMPORT_BAD_JSON',
  /** Valid JSON that is not GeoJSON, or a feature whose geometry is malformed. */
  IMPORT_BAD_GEOJSON: 'IMPORT_BAD_GEOJSON',
  /** A CSV row has a different number of fields from the header (usually an unquoted comma). */
  IMPORT_CSV_SHIFTED: 'IMPORT_CSV_SHIFTED',
  /** The CSV is malformed (an unclosed quote…). */
  IMPORT_BAD_CSV: 'IMPORT_BAD_CSV',
  /** No coordinate columns (or WKT column) were found or named. */
  IMPORT_CSV_NO_COORDINATES: 'IMPORT_CSV_NO_COORDINATES',
  /** A CSV row's WKT geometry cannot be read. */
  IMPORT_CSV_BAD_WKT: 'IMPORT_CSV_BAD_WKT',
  /** The field mapping names an unknown layer or target field, or is not a JSON object of strings. */
  IMPORT_BAD_MAPPING: 'IMPORT_BAD_MAPPING',
} as const;

export type ImportErrorCode = (typeof IMPORT_ERRORS)[keyof typeof IMPORT_ERRORS];

export interface ImportErrorDetails {
  /** 1-based record number (shapefile record, CSV data row, GeoJSON feature). */
  row?: number;
  field?: string;
  /** The file the problem is in (a sidecar may be to blame rather than the file given). */
  file?: string;
}

export class ImportError extends Error {
  readonly code: ImportErrorCode;
  readonly row?: number;
  readonly field?: string;
  readonly file?: string;

  constructor(code: ImportErrorCode, message: string, details: ImportErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportError';
    this.code = code;
    if (details.row !== undefined) this.row = details.row;
    if (details.field !== undefined) this.field = details.field;
    if (details.file !== undefined) this.file = details.file;
  }
}

/** Warning codes: the import goes on, but a person should know. Same stability rule as the errors. */
export const IMPORT_WARNINGS = {
  /** No .cpg, language byte or option: the text encoding was chosen by scoring the bytes. */
  IMPORT_ENCODING_GUESSED: 'IMPORT_ENCODING_GUESSED',
  /** The .cpg names an encoding we ignored (unknown label) in favour of detection. */
  IMPORT_CPG_IGNORED: 'IMPORT_CPG_IGNORED',
  /** Text already held U+FFFD replacement characters before it reached us (damaged upstream). */
  IMPORT_TEXT_DAMAGED: 'IMPORT_TEXT_DAMAGED',
  /** No CRS was given; lon/lat in CGCS2000 was assumed from the coordinate range. */
  IMPORT_CRS_ASSUMED: 'IMPORT_CRS_ASSUMED',
  /** The datum has no public shift to CGCS2000; coordinates may be off by tens of metres. */
  IMPORT_DATUM_UNSHIFTED: 'IMPORT_DATUM_UNSHIFTED',
  /** The crs option overrides a different .prj / crs member. */
  IMPORT_CRS_OVERRIDDEN: 'IMPORT_CRS_OVERRIDDEN',
  /** The .shx is missing; records were read in sequence from the .shp. */
  IMPORT_NO_SHX: 'IMPORT_NO_SHX',
  /** The .dbf is missing; records have no attributes. */
  IMPORT_NO_DBF: 'IMPORT_NO_DBF',
  /** The file is longer than its header says; the extra bytes were ignored. */
  IMPORT_TRAILING_BYTES: 'IMPORT_TRAILING_BYTES',
  /** The .dbf marks records as deleted; they are still read, as the .shp still holds their shapes. */
  IMPORT_DELETED_RECORDS: 'IMPORT_DELETED_RECORDS',
} as const;

export type ImportWarningCode = (typeof IMPORT_WARNINGS)[keyof typeof IMPORT_WARNINGS];

export interface ImportWarning {
  code: ImportWarningCode;
  message: string;
  field?: string;
  file?: string;
}

/** Quote a value in a message, cut short so a huge bad value cannot flood a log line or response. */
export function show(value: string, max = 200): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}
