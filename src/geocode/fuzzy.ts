import type { NameEntry } from './names.js';

/**
 * Typo tolerance: names within one edit (a wrong, missing or extra character) of a piece of text,
 * found with the deletion-neighbourhood method (SymSpell): every name is stored under itself and
 * under each of its one-character deletions; two strings are within one edit exactly when their
 * deletion sets meet. Lookups are a handful of map reads, whatever the number of names.
 *
 * Only names of three characters or more take part: a one-character change to a two-character name
 * makes it a different name, not a typo.
 */
export const FUZZY_MIN_LENGTH = 3;

export class FuzzyNames {
  private readonly variants = new Map<string, NameEntry[]>();

  constructor(entries: Iterable<NameEntry>) {
    for (const e of entries) {
      if (e.text.length < FUZZY_MIN_LENGTH || e.short) continue;
      for (const v of deletions(e.text)) {
        const list = this.variants.get(v) ?? [];
        if (!list.includes(e)) list.push(e);
        this.variants.set(v, list);
      }
    }
  }

  /** Names within one edit of `text` (never `text` itself, which the exact scan already found). */
  near(text: string): NameEntry[] {
    if (text.length < FUZZY_MIN_LENGTH - 1) return [];
    const found = new Set<NameEntry>();
    for (const v of deletions(text)) {
      for (const e of this.variants.get(v) ?? []) {
        if (e.text !== text && withinOneEdit(e.text, text)) found.add(e);
      }
    }
    return [...found];
  }
}

/** The string and each of its one-character deletions. */
function deletions(s: string): string[] {
  const out = [s];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/** True when a and b differ by at most one substitution, insertion or deletion. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
