import { readFile } from 'node:fs/promises';
import type { AuthConfig } from '../config.js';
import { KeyRing } from './key-ring.js';
import { ApiKeysError, checkUnique, parseKeysEnv, parseKeysText, type ApiKeyEntry } from './keys.js';

/**
 * The configured keys, read once at boot: the keys file, then WANMI_API_KEYS. A file that is named
 * but missing or malformed stops the boot with an ApiKeysError naming it and the line; so does a name
 * or key configured twice across both. No keys at all is allowed: every write is then refused.
 */
export async function loadApiKeys(auth: AuthConfig | undefined): Promise<ApiKeyEntry[]> {
  const entries: ApiKeyEntry[] = [];
  if (auth?.keysFile) {
    let text: string;
    try {
      text = await readFile(auth.keysFile, 'utf8');
    } catch (err) {
      throw new ApiKeysError(auth.keysFile, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); create it with \`wanmi keys add\``);
    }
    entries.push(...parseKeysText(text, auth.keysFile));
  }
  if (auth?.keys) entries.push(...parseKeysEnv(auth.keys));
  return checkUnique(entries, auth?.keysFile && auth.keys ? `${auth.keysFile} + WANMI_API_KEYS` : auth?.keysFile ?? 'WANMI_API_KEYS');
}

export async function loadKeyRing(auth: AuthConfig | undefined): Promise<KeyRing> {
  return new KeyRing(await loadApiKeys(auth));
}
