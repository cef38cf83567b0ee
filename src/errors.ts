import createError from '@fastify/error';

/**
 * Wanmi's error table: every error a client can see has a stable code, listed in docs/errors.md.
 * Codes are never reused or renamed; clients branch on `code`, never on `message`.
 */
export const WanmiErrors = {
  /** A request parameter is missing, of the wrong type or out of its range. */
  BadParameter: createError<[string]>('WANMI_BAD_PARAMETER', 'Bad parameter: %s', 400),
  /** lon/lat are not numbers or outside [-180, 180] × [-90, 90]. */
  BadCoordinates: createError<[string]>('WANMI_BAD_COORDINATES', 'Bad coordinates: %s', 400),
  /** The point lies in no unit grid and no administrative area of the managed city. */
  OutsideArea: createError<[number, number]>(
    'WANMI_OUTSIDE_AREA',
    'The point (lon %s, lat %s) is outside the managed area',
    404,
  ),
  /** No component with this id in the current data. */
  ComponentNotFound: createError<[string]>('WANMI_COMPONENT_NOT_FOUND', 'No component with id %s', 404),
  /** No unit grid with this code in the current data. */
  GridNotFound: createError<[string]>('WANMI_GRID_NOT_FOUND', 'No unit grid with code %s', 404),
  /** The class (type code) is not in the class dictionary for this kind. */
  UnknownClass: createError<[string, string]>('WANMI_UNKNOWN_CLASS', 'No %s class %s in the class dictionary', 400),
  /** Ownership of an event (or of a component without componentId) needs the class. */
  ClassRequired: createError<[string]>('WANMI_CLASS_REQUIRED', '%s', 400),
  /** A batch body that is not a list of points (JSON array or CSV with lon,lat columns). */
  BadBatch: createError<[string]>('WANMI_BAD_BATCH', 'Bad batch: %s', 400),
  /** More items in one batch than allowed. */
  BatchTooLarge: createError<[number, number]>('WANMI_BATCH_TOO_LARGE', 'A batch holds at most %s items; this one has %s', 413),
  /** No route for this method and path. */
  RouteNotFound: createError<[string, string]>('WANMI_ROUTE_NOT_FOUND', 'No route %s %s', 404),
  /** The service is starting and its index is not built yet. */
  NotReady: createError('WANMI_NOT_READY', 'The service is not ready yet', 503),
  /** Anything unexpected; details go to the log, not to the client. */
  Internal: createError('WANMI_INTERNAL', 'Internal error', 500),
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
