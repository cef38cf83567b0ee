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
