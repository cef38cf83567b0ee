/**
 * The OpenAPI side of the API keys: the two ways to send a key as security schemes, and the
 * requirement a protected route declares (either scheme will do).
 */
export const SECURITY_SCHEMES = {
  bearerKey: {
    type: 'http' as const,
    scheme: 'bearer',
    description: 'An API key made with `wanmi keys add`, as `Authorization: Bearer <key>`',
  },
  apiKeyHeader: {
    type: 'apiKey' as const,
    in: 'header' as const,
    name: 'X-API-Key',
    description: 'The same API key in the X-API-Key header',
  },
};

export const KEY_REQUIRED: Array<Record<string, string[]>> = [{ bearerKey: [] }, { apiKeyHeader: [] }];

/** What the OpenAPI document adds: the schemes, and a global requirement when reads need a key too. */
export function openApiSecurity(readAuth: boolean): { components: { securitySchemes: typeof SECURITY_SCHEMES }; security?: typeof KEY_REQUIRED } {
  return { components: { securitySchemes: SECURITY_SCHEMES }, ...(readAuth ? { security: KEY_REQUIRED } : {}) };
}
