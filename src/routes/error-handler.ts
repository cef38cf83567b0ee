import type { FastifyError, FastifyInstance } from 'fastify';
import { WanmiErrors, type ErrorBody } from '../errors.js';

const COORDINATE_FIELDS = new Set(['lon', 'lat']);

/**
 * Every error leaves as an ErrorBody with a stable WANMI_* code. Schema validation failures name the
 * offending field; failures on lon/lat get their own code. 5xx bodies hide internals (they are logged).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const body = toErrorBody(err);
    if (body.statusCode >= 500) req.log.error({ err, reqId: req.id, url: req.url }, 'request failed');
    reply.code(body.statusCode).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const err = new WanmiErrors.RouteNotFound(req.method, req.url.split('?')[0]);
    reply.code(404).send(toErrorBody(err));
  });
}

export function toErrorBody(err: FastifyError): ErrorBody {
  if (err.validation) return validationBody(err);
  const statusCode = err.statusCode ?? 500;
  if (statusCode >= 500) {
    const internal = new WanmiErrors.Internal();
    return { statusCode: 500, code: internal.code, error: 'Internal Server Error', message: internal.message };
  }
  const code = err.code?.startsWith('WANMI_') ? err.code : 'WANMI_BAD_REQUEST';
  const field = (err as { field?: unknown }).field;
  return { statusCode, code, error: reasonPhrase(statusCode), message: err.message, ...(typeof field === 'string' ? { field } : {}) };
}

function validationBody(err: FastifyError): ErrorBody {
  const first = err.validation![0];
  const field = fieldOf(first.instancePath, first.params as Record<string, unknown>);
  const detail = `${field ?? err.validationContext ?? 'request'} ${first.message ?? 'is invalid'}`;
  const e = field && COORDINATE_FIELDS.has(field) ? new WanmiErrors.BadCoordinates(detail) : new WanmiErrors.BadParameter(detail);
  return { statusCode: 400, code: e.code, error: 'Bad Request', message: e.message, ...(field ? { field } : {}) };
}

/** '/lon' → 'lon'; a missing required property is named in params.missingProperty. */
function fieldOf(instancePath: string, params: Record<string, unknown>): string | undefined {
  if (typeof params?.missingProperty === 'string') return params.missingProperty;
  const path = instancePath.replace(/^\//, '').replace(/\//g, '.');
  return path || undefined;
}

function reasonPhrase(status: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 503: 'Service Unavailable' } as Record<number, string>)[status] ?? 'Error';
}
