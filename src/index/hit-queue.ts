/**
 * A binary min-heap of (key, id) pairs in two growable typed arrays, reused across queries (the
 * flatbush `_queue` pattern: no allocation per query once warm). The nearest-component search keeps
 * its lower bounds here, keyed by distance in metres; entries with equal keys come out in any order.
 */
export class HitQueue {
  private keys = new Float64Array(64);
  private ids = new Int32Array(64);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(key: number, id: number): void {
    if (this.length === this.keys.length) this.grow();
    const { keys, ids } = this;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    keys[i] = key;
    ids[i] = id;
  }

  /** Key of the smallest entry (the queue must not be empty). */
  peekKey(): number {
    return this.keys[0];
  }

  /** Id of the smallest entry (the queue must not be empty). */
  peekId(): number {
    return this.ids[0];
  }

  /** Removes the smallest entry. */
  pop(): void {
    const { keys, ids } = this;
    const n = --this.length;
    if (n === 0) return;
    const key = keys[n];
    const id = ids[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1] < keys[child]) child++;
      if (key <= keys[child]) break;
      keys[i] = keys[child];
      ids[i] = ids[child];
      i = child;
    }
    keys[i] = key;
    ids[i] = id;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const ids = new Int32Array(this.ids.length * 2);
    keys.set(this.keys);
    ids.set(this.ids);
    this.keys = keys;
    this.ids = ids;
  }
}
