/** API keys: roles importer and admin, stored as SHA-256 hashes, checked in constant time. */
// Key format, hashing and the keys-file / WANMI_API_KEYS parsers.
export { ApiKeysError, generateKey, hashKey, isRole, parseKeysEnv, parseKeysText, ROLES, type ApiKeyEntry, type Role } from './keys.js';
// The constant-time check of a presented key against the configured hashes.
export { KeyRing, roleAllows, type DigestEqual, type KeyHolder } from './key-ring.js';
// Reading the configured keys at boot.
export { loadApiKeys, loadKeyRing } from './load.js';
// The onRequest hook: route config `auth: role`, 401/403 with WWW-Authenticate.
export { authPlugin, presentedKey, type AuthPluginOptions } from './plugin.js';
// Security schemes and requirements for the OpenAPI document.
export { KEY_REQUIRED, openApiSecurity, SECURITY_SCHEMES } from './openapi.js';
// `wanmi keys add|list|remove`: editing the keys file.
export { addKey, listKeys, removeKey } from './keys-file.js';
