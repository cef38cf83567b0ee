import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { WanmiErrors } from '../errors.js';
import { roleAllows, type KeyHolder, type KeyRing } from './key-ring.js';
import type { Role } from './keys.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The role a route needs (writes); unset = a read, open unless reads are protected. */
    auth?: Role;
  }
  interface FastifyRequest {
    /** Who sent the request, when it carried a valid key. */
    apiKey: KeyHolder | null;
  }
}

export interface AuthPluginOptions {
  ring: KeyRing;
  /** Reads need a valid key too (any role). */
  readAuth: boolean;
}

/** Paths that stay open even when reads are protected: readiness probes and the API description. */
const ALWAYS_OPEN = /^\/(health|openapi\.json|docs)(\/|$)/;

/**
 * The API-key check, an onRequest hook on every route that needs a key (so an unauthorised upload is
 * refused before its body is read):
 *
 *   route config `auth: 'importer' | 'admin'` → a key whose role allows it, else 401 / 403;
 *   no `auth` (a read) → open, or any valid key when `readAuth` is on (except ALWAYS_OPEN).
 *
 * Keys come as `Authorization: Bearer <key>` or `X-API-Key: <key>`. A 401 carries `WWW-Authenticate:
 * Bearer` (RFC 6750), with `error="invalid_token"` when a key was sent but is not configured; a 403
 * carries `error="insufficient_scope"`.
 */
export const authPlugin = fp<AuthPluginOptions>(async (app, { ring, readAuth }) => {
  app.decorateRequest('apiKey', null);
  const check = async (req: FastifyRequest, reply: FastifyReply) => {
    const needs = req.routeOptions.config?.auth;
    const presented = presentedKey(req);
    if (presented === null) {
      challenge(reply);
      throw new WanmiErrors.Unauthorized('This request needs an API key (Authorization: Bearer <key>)');
    }
    const holder = ring.identify(presented);
    if (!holder) {
      challenge(reply, 'invalid_token');
      throw new WanmiErrors.Unauthorized('The API key is not valid');
    }
    req.apiKey = holder;
    if (needs && !roleAllows(holder.role, needs)) {
      challenge(reply, 'insufficient_scope');
      throw new WanmiErrors.Forbidden(`This request needs a key with the ${needs} role; the key of ${holder.name} has the ${holder.role} role`);
    }
  };
  // The check is attached per route, only where a key is needed: open reads (the hot lookup path)
  // pay nothing for it.
  app.addHook('onRoute', (route) => {
    if (!(route.config?.auth || (readAuth && needsReadKey(route.method, route.url)))) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...existing, check];
  });
}, { name: 'wanmi-auth', fastify: '5.x' });

function needsReadKey(method: string | string[], url: string): boolean {
  // CORS preflights carry no credentials; unknown paths answer 404 whoever asks.
  const methods = Array.isArray(method) ? method : [method];
  return !methods.every((m) => m === 'OPTIONS') && !ALWAYS_OPEN.test(url);
}

/** The key sent with the request, or null when none was (an empty or malformed header counts as none). */
export function presentedKey(req: FastifyRequest): string | null {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (m) return m[1];
  }
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  return null;
}

function challenge(reply: FastifyReply, error?: 'invalid_token' | 'insufficient_scope'): void {
  reply.header('WWW-Authenticate', `Bearer realm="wanmi"${error ? `, error="${error}"` : ''}`);
}
