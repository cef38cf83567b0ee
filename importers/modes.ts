import type { Knex } from 'knex';
import { fingerprint } from './fingerprint.js';
import { scopeOf, type ImportLayer } from './import-layers.js';
import { scanLayer } from './layer-store.js';

/**
 * Import modes: what a validated file does to a layer.
 *
 *   replace  the layer becomes the file. File features the store lacks are added, those that differ
 *            are changed, stored features the file lacks are retired (deleted, with history).
 *   update   the file is a partial delivery: its features are added or changed, nothing else is
 *            touched. With `retireMissing`, a stored feature the file lacks is retired when it belongs
 *            to a survey area the file covers (import-layers.ts `scopeOf`: the communities of its grids
 *            or addresses, the county+class of its components…) — the re-survey of three communities
 *            retires what vanished there and leaves the rest of the city alone.
 *
 * A feature is unchanged when its fingerprint (fingerprint.ts) equals the stored one, so re-importing a
 * file plans nothing. A row skipped as invalid never retires its stored feature: a typo in one attribute
 * must not delete the feature it describes.
 */
export type ImportMode = 'replace' | 'update';

export interface StoredEntry {
  hash: string;
  scope: string;
}

export interface FileEntry {
  row: number;
  hash: string;
  scope: string;
  /** Where the first pass kept the validated feature (import.ts, feature-arena.ts), if it did. */
  kept?: number;
}

export interface PlannedWrite {
  key: string;
  action: 'add' | 'change';
  hash: string;
  kept?: number;
}

export interface ImportPlan {
  /** Rows to write, by source row number. */
  writes: Map<number, PlannedWrite>;
  retire: string[];
  unchanged: number;
}

/** Fingerprint and scope of every stored feature of the layer, by key. */
export async function storedEntries(db: Knex | Knex.Transaction, layer: ImportLayer): Promise<Map<string, StoredEntry>> {
  const out = new Map<string, StoredEntry>();
  await scanLayer(db, layer.codec, (f) => {
    out.set(layer.codec.keyOf(f), { hash: fingerprint(layer.codec, f), scope: scopeOf(layer.mappable, f) });
  });
  return out;
}

export function planImport(
  file: ReadonlyMap<string, FileEntry>, skippedKeys: ReadonlySet<string>, stored: ReadonlyMap<string, StoredEntry>,
  mode: ImportMode, retireMissing: boolean,
): ImportPlan {
  const writes = new Map<number, PlannedWrite>();
  let unchanged = 0;
  for (const [key, f] of file) {
    const s = stored.get(key);
    if (s && s.hash === f.hash) unchanged++;
    else writes.set(f.row, { key, action: s ? 'change' : 'add', hash: f.hash, kept: f.kept });
  }
  const scopes = new Set([...file.values()].map((f) => f.scope));
  const retires = (key: string, s: StoredEntry) =>
    !file.has(key) && !skippedKeys.has(key) && (mode === 'replace' || (retireMissing && scopes.has(s.scope)));
  const retire = [...stored].filter(([key, s]) => retires(key, s)).map(([key]) => key);
  return { writes, retire, unchanged };
}

export const isEmptyPlan = (p: ImportPlan) => p.writes.size === 0 && p.retire.length === 0;
