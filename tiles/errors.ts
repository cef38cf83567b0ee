/**
 * The tile core's error table. Every failure a tile request can hit has a stable code; the HTTP layer maps
 * `statusCode` and `code` straight into its response and clients branch on `code`, never on the message.
 * The core never imports Fastify, so this is a plain Error subclass rather than a @fastify/error factory.
 */
export const TILE_ERRORS = {
  /** z is not an integer in [0, MAX_ZOOM]. */
  WANMI_TILE_ZOOM: 400,
  /** x or y is not an integer in [0, 2^z). */
  WANMI_TILE_RANGE: 400,
  /** No tile source with this id. */
  WANMI_TILE_SOURCE: 404,
  /** A filter the source does not accept, or a filter value of the wrong form. */
  WANMI_TILE_FILTER: 400,
} as const;

export type TileErrorCode = keyof typeof TILE_ERRORS;

export class TileError extends Error {
  readonly code: TileErrorCode;
  readonly statusCode: number;
  /** The request parameter to blame (z, x, y, source, or the filter's name). */
  readonly field: string;

  constructor(code: TileErrorCode, field: string, message: string) {
    super(message);
    this.name = 'TileError';
    this.code = code;
    this.statusCode = TILE_ERRORS[code];
    this.field = field;
  }
}

export function isTileError(e: unknown): e is TileError {
  return e instanceof TileError;
}
