import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys: what an operator configures and how a key is stored. A key is 32 random bytes shown once
 * (`wmk_` + base64url); only its SHA-256 is stored, as `sha256:<64 hex>`.
 *
 * Why SHA-256 and not scrypt: a slow hash protects low-entropy secrets (passwords) against guessing
 * from a leaked hash. Wanmi generates its keys with 256 bits of entropy, so guessing is hopeless
 * whatever the hash; a slow hash would only add ~50 ms of CPU to every write request (a lever for
 * anyone sending bad keys) without adding safety.
 *
 * Two places hold entries, one entry per key, `name role hash`:
 *   - a keys file (WANMI_API_KEYS_FILE), either a JSON array of {name, role, hash} (what `wanmi keys
 *     add` writes) or text lines `name role hash` with `#` comments;
 *   - WANMI_API_KEYS, the same text entries separated by `;` or newlines.
 */
export const ROLES = ['importer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyEntry {
  /** Who holds the key (logged with each write; never the key itself). */
  name: string;
  role: Role;
  /** `sha256:<64 lowercase hex>`. */
  hash: string;
}

/** A keys file or WANMI_API_KEYS that cannot be read: names the source and the line or entry. */
export class ApiKeysError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'ApiKeysError';
  }
}

const KEY_PREFIX = 'wmk_';
const HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;
const NAME_PATTERN = /^[\p{L}\p{N}._@-]{1,64}$/u;

/** A new key: `wmk_` + 43 base64url characters (256 bits). */
export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a key. */
export function hashKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Checks one entry; `where` says which line or item, for the error. */
export function checkEntry(raw: unknown, source: string, where: string): ApiKeyEntry {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ApiKeysError(source, `${where} is not an object with name, role and hash`);
  const { name, role, hash } = raw as Record<string, unknown>;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new ApiKeysError(source, `${where}: name must be 1–64 letters, digits or . _ @ - (got ${JSON.stringify(name)})`);
  }
  if (!isRole(role)) throw new ApiKeysError(source, `${where}: role must be one of ${ROLES.join(', ')} (got ${JSON.stringify(role)})`);
  if (typeof hash !== 'string' || !HASH_PATTERN.test(hash)) {
    throw new ApiKeysError(source, `${where}: hash must be sha256:<64 hex digits> (make one with \`wanmi keys add\`), not a key in clear`);
  }
  return { name, role, hash };
}

/**
 * Parses a keys file's text: a JSON array of entries, or `name role hash` lines (blank lines and `#`
 * comments ignored). Duplicate names or hashes are refused: each key must say who holds it.
 */
export function parseKeysText(text: string, source: string): ApiKeyEntry[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let entries: ApiKeyEntry[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new ApiKeysError(source, `not valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(json)) throw new ApiKeysError(source, 'a JSON keys file must be an array of {name, role, hash}');
    entries = json.map((e, i) => checkEntry(e, source, `entry ${i + 1}`));
  } else {
    entries = parseEntryList(text.split(/\r?\n/), source, 'line');
  }
  return checkUnique(entries, source);
}

/** WANMI_API_KEYS: `name role hash` entries separated by `;` or newlines. */
export function parseKeysEnv(value: string, source = 'WANMI_API_KEYS'): ApiKeyEntry[] {
  return checkUnique(parseEntryList(value.split(/;|\r?\n/), source, 'entry'), source);
}

function parseEntryList(items: string[], source: string, unit: 'line' | 'entry'): ApiKeyEntry[] {
  const out: ApiKeyEntry[] = [];
  items.forEach((item, i) => {
    const text = item.replace(/#.*$/, '').trim();
    if (!text) return;
    const parts = text.split(/\s+/);
    if (parts.length !== 3) throw new ApiKeysError(source, `${unit} ${i + 1} is not "name role hash"`);
    out.push(checkEntry({ name: parts[0], role: parts[1], hash: parts[2] }, source, `${unit} ${i + 1}`));
  });
  return out;
}

/** Also used across the file and the variable together: one name, one key. */
export function checkUnique(entries: ApiKeyEntry[], source: string): ApiKeyEntry[] {
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new ApiKeysError(source, `the name ${JSON.stringify(e.name)} is used twice`);
    if (hashes.has(e.hash)) throw new ApiKeysError(source, `the key of ${JSON.stringify(e.name)} is also configured under another name`);
    names.add(e.name);
    hashes.add(e.hash);
  }
  return entries;
}
