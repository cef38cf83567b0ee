/**
 * Unique string ids (component ids: 16–17 digits, beyond 2^53) in 4 bytes each, written into tiles
 * without a row or a string being read.
 *
 *   id 33010201180100042 = prefix "3301020118" + 7 digits 0100042      (groups of ids, in id order)
 *   code = base[group] + 100042                                          (one Uint32 per feature)
 *
 * Ids sorted by id fall into runs sharing everything but their last `digits` characters, when those are
 * digits: each run is a group with a range of 10^digits codes. The build picks the largest `digits`
 * (≤ 9) for which every group's range fits 2^32; an id whose end is not (all) digits keeps fewer of them
 * in its suffix, down to none (then its group is the id itself). So any strings work; ids shaped like
 * the standard's take a few hundred groups.
 */
export class IdCodes {
  readonly code: Uint32Array;
  /** Per group: first code, suffix digits, prefix bytes (UTF-8) at prefixStart, FNV-1a state after the prefix. */
  private readonly base: Uint32Array;
  private readonly digits: Uint8Array;
  private readonly prefixBytes: Uint8Array;
  private readonly prefixStart: Uint32Array;
  private readonly prefixHash: Uint32Array;
  private readonly scratch = new Uint8Array(10);

  /**
   * ids[f] is the id of feature f; `sorted` lists the features in id order when the caller has it
   * already (sorting a million strings takes a second).
   */
  constructor(ids: readonly string[], sorted = Uint32Array.from(ids, (_, i) => i).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0))) {
    const n = sorted.length;
    // Per sorted id: trailing digits (≤ 9) and the common prefix length with the previous id.
    const trailing = new Uint8Array(n);
    const common = new Uint32Array(n);
    for (let r = 0; r < n; r++) {
      const s = ids[sorted[r]];
      let t = 0;
      while (t < 9 && t < s.length && isDigit(s.charCodeAt(s.length - 1 - t))) t++;
      trailing[r] = t;
      if (r > 0) common[r] = commonPrefix(ids[sorted[r - 1]], s);
    }
    let digits = 9;
    while (digits > 0 && rangeOf(ids, sorted, trailing, common, digits) > 0xffff_ffff) digits--;
    // Groups: runs of equal (length, suffix digits, prefix).
    const base: number[] = [];
    const groupDigits: number[] = [];
    const prefixes: string[] = [];
    this.code = new Uint32Array(n);
    let next = 0;
    for (let r = 0; r < n; r++) {
      const s = ids[sorted[r]];
      const d = Math.min(digits, trailing[r]);
      if (r === 0 || !sameGroup(ids[sorted[r - 1]], s, Math.min(digits, trailing[r - 1]), d, common[r])) {
        base.push(next);
        groupDigits.push(d);
        prefixes.push(s.slice(0, s.length - d));
        next += 10 ** d;
      }
      let suffix = 0;
      for (let i = s.length - d; i < s.length; i++) suffix = 10 * suffix + s.charCodeAt(i) - 48;
      this.code[sorted[r]] = base[base.length - 1] + suffix;
    }
    this.base = Uint32Array.from(base);
    this.digits = Uint8Array.from(groupDigits);
    const utf8 = new TextEncoder();
    const encoded = prefixes.map((p) => utf8.encode(p));
    this.prefixStart = new Uint32Array(encoded.length + 1);
    encoded.forEach((e, g) => (this.prefixStart[g + 1] = this.prefixStart[g] + e.length));
    this.prefixBytes = new Uint8Array(this.prefixStart[encoded.length]);
    encoded.forEach((e, g) => this.prefixBytes.set(e, this.prefixStart[g]));
    this.prefixHash = Uint32Array.from(prefixes, (p) => fnv1a(FNV_START, p));
  }

  /** The group of a code: the last group whose base is ≤ code. */
  group(code: number): number {
    const { base } = this;
    let lo = 0;
    let hi = base.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (base[mid] <= code) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** UTF-8 bytes of the id of feature f. */
  byteLength(f: number): number {
    return this.groupLength(this.group(this.code[f]));
  }

  /** UTF-8 bytes of every id of group g. */
  groupLength(g: number): number {
    return this.prefixStart[g + 1] - this.prefixStart[g] + this.digits[g];
  }

  /** Writes the id of feature f (byteLength bytes) to buf at pos; returns the new position. */
  write(buf: Uint8Array, pos: number, f: number): number {
    return this.writeIn(buf, pos, f, this.group(this.code[f]));
  }

  /** The same, with f's group known. */
  writeIn(buf: Uint8Array, pos: number, f: number, g: number): number {
    const code = this.code[f];
    for (let b = this.prefixStart[g], end = this.prefixStart[g + 1]; b < end; b++) buf[pos++] = this.prefixBytes[b];
    // Below 10^9 < 2^31: int32 arithmetic, division by a constant.
    let suffix = (code - this.base[g]) | 0;
    for (let i = this.digits[g] - 1; i >= 0; i--) {
      const q = (suffix / 10) | 0;
      buf[pos + i] = 48 + suffix - q * 10;
      suffix = q;
    }
    return pos + this.digits[g];
  }

  /** FNV-1a (32-bit) of feature f's id over its UTF-16 code units: the same as hashing the string. */
  hash(f: number): number {
    const code = this.code[f];
    const g = this.group(code);
    const d = this.digits[g];
    let h = this.prefixHash[g];
    let suffix = (code - this.base[g]) | 0;
    const digits = this.scratch;
    for (let i = d - 1; i >= 0; i--) {
      const q = (suffix / 10) | 0;
      digits[i] = 48 + suffix - q * 10;
      suffix = q;
    }
    for (let i = 0; i < d; i++) h = Math.imul(h ^ digits[i], 0x01000193);
    return h >>> 0;
  }

  /** Bytes held (for memory accounting). */
  get byteSize(): number {
    return this.code.byteLength + this.base.byteLength + this.digits.byteLength + this.prefixBytes.byteLength
      + this.prefixStart.byteLength + this.prefixHash.byteLength;
  }
}

const FNV_START = 0x811c9dc5;

/** FNV-1a continued from state h over the string's UTF-16 code units. */
export function fnv1a(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The FNV-1a hash of a string. */
export function fnv1aOf(s: string): number {
  return fnv1a(FNV_START, s);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Whether b (after a in id order) continues a's group: same length and suffix digits, equal prefixes. */
function sameGroup(a: string, b: string, da: number, db: number, common: number): boolean {
  return a.length === b.length && da === db && common >= b.length - db;
}

/** Codes the groups would take with `digits` suffix digits. */
function rangeOf(ids: readonly string[], sorted: Uint32Array, trailing: Uint8Array, common: Uint32Array, digits: number): number {
  let total = 0;
  for (let r = 0; r < sorted.length; r++) {
    const d = Math.min(digits, trailing[r]);
    if (r === 0 || !sameGroup(ids[sorted[r - 1]], ids[sorted[r]], Math.min(digits, trailing[r - 1]), d, common[r])) total += 10 ** d;
  }
  return total;
}
