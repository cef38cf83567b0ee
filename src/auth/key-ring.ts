import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyEntry, Role } from './keys.js';

/** Compares two equal-length digests; `crypto.timingSafeEqual` unless a test injects a spy. */
export type DigestEqual = (a: Buffer, b: Buffer) => boolean;

/** The comparison KeyRing uses unless told otherwise. */
export const DEFAULT_EQUAL: DigestEqual = timingSafeEqual;

export interface KeyHolder {
  name: string;
  role: Role;
}

/**
 * The configured keys, ready to check a presented key against.
 *
 *   1. hash the presented key with SHA-256 (so every comparison is between two 32-byte digests and
 *      the length of the presented key leaks nothing);
 *   2. compare the digest with every stored digest using `timingSafeEqual`, without stopping at a
 *      match, so the time taken says neither whether nor where the key matched.
 */
export class KeyRing {
  private readonly digests: Array<{ holder: KeyHolder; digest: Buffer }>;

  constructor(entries: readonly ApiKeyEntry[], private readonly equal: DigestEqual = DEFAULT_EQUAL) {
    this.digests = entries.map((e) => ({ holder: { name: e.name, role: e.role }, digest: Buffer.from(e.hash.slice('sha256:'.length), 'hex') }));
  }

  get size(): number {
    return this.digests.length;
  }

  /** The holder of a presented key, or null. */
  identify(presented: string): KeyHolder | null {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: KeyHolder | null = null;
    for (const d of this.digests) {
      // No early exit: every stored digest is compared.
      if (this.equal(digest, d.digest) && found === null) found = d.holder;
    }
    return found;
  }
}

/** Whether a holder's role allows what a route needs: admin can do everything an importer can. */
export function roleAllows(has: Role, needs: Role): boolean {
  return has === needs || has === 'admin';
}
