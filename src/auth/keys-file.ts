import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiKeysError, checkEntry, checkUnique, generateKey, hashKey, parseKeysText, type ApiKeyEntry, type Role } from './keys.js';

/**
 * `wanmi keys add|list|remove`: edits a keys file. The file is written as a JSON array (a text-format
 * file is converted, comments dropped), atomically (temporary file + rename) and readable by its
 * owner only (0600). The service reads it at boot, so a running service needs a restart to see a change.
 */
export async function listKeys(file: string): Promise<ApiKeyEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return parseKeysText(text, file);
}

/** Makes a key for `name`, stores its hash and returns the key: the only time it exists in clear. */
export async function addKey(file: string, name: string, role: Role): Promise<{ key: string; entry: ApiKeyEntry }> {
  const entries = await listKeys(file);
  const key = generateKey();
  const entry = checkEntry({ name, role, hash: hashKey(key) }, file, `the new key`);
  if (entries.some((e) => e.name === name)) throw new ApiKeysError(file, `a key named ${JSON.stringify(name)} exists already; remove it first`);
  await save(file, checkUnique([...entries, entry], file));
  return { key, entry };
}

/** Removes the key of `name`; false when there was none. */
export async function removeKey(file: string, name: string): Promise<boolean> {
  const entries = await listKeys(file);
  const kept = entries.filter((e) => e.name !== name);
  if (kept.length === entries.length) return false;
  await save(file, kept);
  return true;
}

async function save(file: string, entries: ApiKeyEntry[]): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}
