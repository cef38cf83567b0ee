import createError from '@fastify/error';

/**
 * A 4xx error: an answer to a bad request, not a fault, so it carries no stack trace (the error handler
 * logs 5xx only, and never a client error's stack). Capturing one costs ~5 µs, which a lookup batch
 * pays per failed item: 100,000 points outside the area would spend half a second on traces nobody reads.
 */
function clientError<A extends unknown[] = []>(code: string, message: string, statusCode: number) {
  return createError<A>(code, message, statusCode, Error, false);
}

/**
 * Wanmi's error table: every error a client can see has a stable code, listed in docs/errors.md.
 * Codes are never reused or renamed; clients branch on `code`, never on `message`.
 */
export const WanmiErrors = {
  /** A request parameter is missing, of the wrong type or out of its range. */
  BadParameter: clientError<[string]>('WANMI_BAD_PARAMETER', 'Bad parameter: %s', 400),
  /** lon/lat are not numbers or outside [-180, 180] × [-90, 90]. */
  BadCoordinates: clientError<[string]>('WANMI_BAD_COORDINATES', 'Bad coordinates: %s', 400),
  /** The point lies in no unit grid and no administrative area of the managed city. */
  OutsideArea: clientError<[number, number]>(
    'WANMI_OUTSIDE_AREA',
    'The point (lon %s, lat %s) is outside the managed area',
    404,
  ),
  /** No component with this id in the current data. */
  ComponentNotFound: clientError<[string]>('WANMI_COMPONENT_NOT_FOUND', 'No component with id %s', 404),
  /** No unit grid with this code in the current data. */
  GridNotFound: clientError<[string]>('WANMI_GRID_NOT_FOUND', 'No unit grid with code %s', 404),
  /** The class (type code) is not in the class dictionary for this kind. */
  UnknownClass: clientError<[string, string]>('WANMI_UNKNOWN_CLASS', 'No %s class %s in the class dictionary', 400),
  /** Ownership of an event (or of a component without componentId) needs the class. */
  ClassRequired: clientError<[string]>('WANMI_CLASS_REQUIRED', '%s', 400),
  /** A batch body that is not a list of points (JSON array or CSV with lon,lat columns). */
  BadBatch: clientError<[string]>('WANMI_BAD_BATCH', 'Bad batch: %s', 400),
  /** More items in one batch than allowed. */
  BatchTooLarge: clientError<[number, number]>('WANMI_BATCH_TOO_LARGE', 'A batch holds at most %s items; this one has %s', 413),
  /** No API key, or a key that is not configured (the response carries `WWW-Authenticate: Bearer`). */
  Unauthorized: clientError<[string]>('WANMI_UNAUTHORIZED', '%s', 401),
  /** A valid API key whose role does not allow this request (e.g. a write needs importer or admin). */
  Forbidden: clientError<[string]>('WANMI_FORBIDDEN', '%s', 403),
  /** An import upload larger than WANMI_IMPORT_MAX_MB (all files together). */
  ImportTooLarge: clientError<[number]>('WANMI_IMPORT_TOO_LARGE', 'An import upload holds at most %s MB', 413),
  /** An import request that is not multipart/form-data, has no file, or files that do not form one source. */
  ImportBadUpload: clientError<[string]>('WANMI_IMPORT_BAD_UPLOAD', 'Bad upload: %s', 400),
  /** WANMI_IMPORT_QUEUE imports are already waiting; try again later. */
  ImportBusy: clientError<[number]>('WANMI_IMPORT_BUSY', '%s imports are already waiting; try again later', 429),
  /** No import job with this id (jobs that never reached the imports journal are forgotten on restart). */
  ImportJobNotFound: clientError<[string]>('WANMI_IMPORT_JOB_NOT_FOUND', 'No import job %s', 404),
  /** DELETE /v1/imports/:id on a job that has already finished (done or failed). */
  ImportJobFinished: clientError<[string, string]>('WANMI_IMPORT_JOB_FINISHED', 'Import job %s has already finished (%s)', 409),
  /** No route for this method and path. */
  RouteNotFound: clientError<[string, string]>('WANMI_ROUTE_NOT_FOUND', 'No route %s %s', 404),
  /** The service is starting and its index is not built yet. */
  NotReady: createError('WANMI_NOT_READY', 'The service is not ready yet', 503),
  /** Anything unexpected; details go to the log, not to the client. */
  Internal: createError('WANMI_INTERNAL', 'Internal error', 500),
} as const;

/**
 * Codes a failed import job reports in `error.code` (GET /v1/imports/:id), besides the importers' own
 * `WANMI_IMPORT_*` codes (importers/errors.ts, importers/import-errors.ts) and WANMI_INTERNAL.
 */
export const ImportJobErrorCodes = {
  /** Validation found errors (see the report); nothing was written. */
  Rejected: 'WANMI_IMPORT_REJECTED',
  /** DELETE /v1/imports/:id stopped the job before it committed; nothing was written. */
  Cancelled: 'WANMI_IMPORT_CANCELLED',
  /** The service shut down before the import committed; nothing was written. */
  Interrupted: 'WANMI_IMPORT_INTERRUPTED',
} as const;

/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  /** The offending parameter or field, when one is to blame. */
  field?: string;
}
