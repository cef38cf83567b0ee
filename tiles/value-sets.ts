import Pbf from 'pbf';
import { putVarint, writeValue, type MvtValue } from './mvt-writer.js';

/** Feature i's value of key k (null or undefined: the feature has no such attribute). */
export type ValueOf = (i: number, k: number) => MvtValue | null | undefined;

/**
 * A layer's attributes interned once at build, so a tile neither reads a row nor hashes a string:
 *
 *   setOf       s s s …               per feature: its attribute set (features with equal attributes share one)
 *   setValues   v v v | v v v | …     per set, per key: a value id, −1 for null
 *   valueBytes  [Layer.values] …      per value id: its encoded `values` field, copied into tiles as is
 *
 * A city's components share a few thousand sets (class × state × units), so a component costs 2 bytes;
 * a layer of unique attributes (grids: code, name) has a set per feature. Values are distinct by type
 * (1 and "1" are two values), as the MVT writer keeps them.
 */
export class ValueSets {
  readonly keys: readonly string[];
  readonly setOf: Uint16Array | Uint32Array;
  readonly setValues: Int32Array;
  readonly setCount: number;
  /** The values by id (kept for filters, which test sets by value). */
  readonly values: readonly MvtValue[];
  readonly valueBytes: Uint8Array;
  readonly valueStart: Uint32Array;

  private constructor(keys: readonly string[], setOf: Uint16Array | Uint32Array, setValues: Int32Array, setCount: number, values: MvtValue[]) {
    this.keys = keys;
    this.setOf = setOf;
    this.setValues = setValues;
    this.setCount = setCount;
    this.values = values;
    const pbf = new Pbf();
    this.valueStart = new Uint32Array(values.length + 1);
    values.forEach((v, id) => {
      this.valueStart[id] = pbf.pos;
      pbf.writeMessage(4, writeValue, v);
    });
    this.valueStart[values.length] = pbf.pos;
    this.valueBytes = pbf.finish().slice();
  }

  /** Interns the attributes of features 0 … count−1. */
  static build(keys: readonly string[], count: number, valueOf: ValueOf): ValueSets {
    const ids = { string: new Map<MvtValue, number>(), number: new Map<MvtValue, number>(), boolean: new Map<MvtValue, number>() };
    const values: MvtValue[] = [];
    const sets = new Map<string, number>();
    const setValues: number[] = [];
    const setOf = new Uint32Array(count);
    const tuple = new Array<number>(keys.length);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < keys.length; k++) {
        const v = valueOf(i, k);
        if (v === null || v === undefined) {
          tuple[k] = -1;
          continue;
        }
        const map = ids[typeof v as 'string' | 'number' | 'boolean'];
        let id = map.get(v);
        if (id === undefined) map.set(v, (id = values.push(v) - 1));
        tuple[k] = id;
      }
      const key = tuple.join();
      let s = sets.get(key);
      if (s === undefined) {
        sets.set(key, (s = sets.size));
        setValues.push(...tuple);
      }
      setOf[i] = s;
    }
    const narrow = sets.size <= 0x10000 ? Uint16Array.from(setOf) : setOf;
    return new ValueSets(keys, narrow, Int32Array.from(setValues), sets.size, values);
  }

  /** Interns rows' attributes: one getter per key, in key order (feature i = rows[i]). */
  static of<T>(rows: readonly T[], getters: Record<string, (row: T) => MvtValue | null | undefined>): ValueSets {
    const get = Object.values(getters);
    return ValueSets.build(Object.keys(getters), rows.length, (i, k) => get[k](rows[i]));
  }

  /** The value id of key k in set s, or −1. */
  valueId(s: number, k: number): number {
    return this.setValues[s * this.keys.length + k];
  }
}

/**
 * One tile layer's value table over a ValueSets: sets are added as the tile's features are, each value
 * getting the next index on first use; then each set's tags (key index, value index pairs) are ready as
 * bytes, and the values as their encoded fields. Its arrays are sized by the sets once and reused tile
 * after tile (`reset` clears only what the last tile touched); one tile at a time.
 *
 * Only the first `keyCount` keys are written (a label layer writes a prefix of its polygons' keys), as
 * key indexes keyOffset, keyOffset + 1, … (the components layer's key 0 is its id).
 */
export class TileValues {
  readonly sets: ValueSets;
  private readonly keyCount: number;
  private readonly keyOffset: number;
  /** Per value id: its index in this tile, −1 when unused. */
  private readonly local: Int32Array;
  /** Per set: offset of its tags in `tags` (a length byte, then the varints), −1 when unused. */
  private readonly tagAt: Int32Array;
  private used: Uint32Array = new Uint32Array(256);
  private usedCount = 0;
  private usedSets: Uint32Array = new Uint32Array(256);
  private usedSetCount = 0;
  private tags: Uint8Array = new Uint8Array(4096);
  private tagsLength = 0;
  /** Bytes of the used values' fields. */
  valuesLength = 0;

  constructor(sets: ValueSets, keyCount = sets.keys.length, keyOffset = 0) {
    // A set's tags take at most 6 bytes a key, and their length is kept in one byte.
    if (keyCount > 20) throw new RangeError(`a tile layer of ${keyCount} keys: at most 20 are supported`);
    this.sets = sets;
    this.keyCount = keyCount;
    this.keyOffset = keyOffset;
    this.local = new Int32Array(sets.values.length).fill(-1);
    this.tagAt = new Int32Array(sets.setCount).fill(-1);
  }

  /** Values used so far: the next value index. */
  get count(): number {
    return this.usedCount;
  }

  reset(): void {
    for (let i = 0; i < this.usedCount; i++) this.local[this.used[i]] = -1;
    for (let i = 0; i < this.usedSetCount; i++) this.tagAt[this.usedSets[i]] = -1;
    this.usedCount = this.usedSetCount = this.tagsLength = this.valuesLength = 0;
  }

  /** Adds set s (a feature's attributes) to the tile: its new values take the next indexes. */
  add(s: number): void {
    if (this.tagAt[s] >= 0) return;
    const { sets, local, keyCount } = this;
    const width = sets.keys.length;
    if (this.usedSetCount === this.usedSets.length) this.usedSets = grow(this.usedSets);
    this.usedSets[this.usedSetCount++] = s;
    if (this.tagsLength + 1 + 6 * keyCount > this.tags.length) this.tags = growBytes(this.tags, this.tagsLength + 1 + 6 * keyCount);
    const tags = this.tags;
    const at = this.tagsLength;
    let pos = at + 1;
    for (let k = 0; k < keyCount; k++) {
      const v = sets.setValues[s * width + k];
      if (v < 0) continue;
      let index = local[v];
      if (index < 0) {
        if (this.usedCount === this.used.length) this.used = grow(this.used);
        index = local[v] = this.usedCount;
        this.used[this.usedCount++] = v;
        this.valuesLength += sets.valueStart[v + 1] - sets.valueStart[v];
      }
      pos = putVarint(tags, pos, k + this.keyOffset);
      pos = putVarint(tags, pos, index);
    }
    tags[at] = pos - at - 1;
    this.tagAt[s] = at;
    this.tagsLength = pos;
  }

  /** Bytes of set s's tags (s added). */
  tagLength(s: number): number {
    return this.tags[this.tagAt[s]];
  }

  /** Copies set s's tags to buf at pos; returns the new position. */
  writeTags(buf: Uint8Array, pos: number, s: number): number {
    const at = this.tagAt[s];
    const end = at + 1 + this.tags[at];
    for (let i = at + 1; i < end; i++) buf[pos++] = this.tags[i];
    return pos;
  }

  /**
   * Copies the used values' fields, in index order, to buf at pos (valuesLength bytes); returns the new
   * position. Values interned one after the other lie side by side in valueBytes (a grid's code and
   * name; the grids of one community, rows being in code order), so runs of consecutive ids are copied
   * in one call.
   */
  writeValues(buf: Uint8Array, pos: number): number {
    const { valueBytes, valueStart } = this.sets;
    const { used, usedCount } = this;
    for (let i = 0; i < usedCount; ) {
      let j = i + 1;
      while (j < usedCount && used[j] === used[j - 1] + 1) j++;
      pos = copyBytes(buf, pos, valueBytes, valueStart[used[i]], valueStart[used[j - 1] + 1]);
      i = j;
    }
    return pos;
  }
}

/** Copies src[from, to) to buf at pos; returns the new position. A call to set costs more than a short loop. */
export function copyBytes(buf: Uint8Array, pos: number, src: Uint8Array, from: number, to: number): number {
  if (to - from > 48) {
    buf.set(src.subarray(from, to), pos);
    return pos + to - from;
  }
  for (let b = from; b < to; b++) buf[pos++] = src[b];
  return pos;
}

function grow(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

function growBytes(a: Uint8Array, atLeast: number): Uint8Array {
  const b = new Uint8Array(Math.max(atLeast, a.length * 2));
  b.set(a);
  return b;
}
