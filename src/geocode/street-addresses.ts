/**
 * The house numbers (门牌) of one road: exact lookup by plate ("108", "12-1"), and interpolation for a
 * number the data lacks, between its neighbours on the same side of the road (odd and even numbers
 * run on opposite sides in China, 左单右双).
 */
export interface NumberHit {
  /** Index into the address layer; -1 for an interpolated point. */
  address: number;
  lon: number;
  lat: number;
  interpolated: boolean;
}

/** "108号" → "108", "12-1号" → "12-1", "108号院" → "108": the key an address is matched by. */
export function houseKey(houseNumber: string): string {
  const m = /^(\d+(?:-\d+)?)/.exec(houseNumber);
  return m ? m[1] : houseNumber;
}

interface Side {
  numbers: number[];
  coords: number[];
}

export class StreetAddresses {
  private readonly byKey = new Map<string, number[]>();
  private readonly coordsOf = new Map<number, readonly number[]>();
  private readonly sides: [Side, Side] = [{ numbers: [], coords: [] }, { numbers: [], coords: [] }];
  private pending: Array<{ n: number; lon: number; lat: number }> = [];

  get size(): number {
    return this.coordsOf.size;
  }

  add(addressIndex: number, key: string, number: number | null, [lon, lat]: readonly number[]): void {
    const list = this.byKey.get(key) ?? [];
    list.push(addressIndex);
    this.byKey.set(key, list);
    this.coordsOf.set(addressIndex, [lon, lat]);
    if (number !== null && Number.isFinite(number)) this.pending.push({ n: number, lon, lat });
  }

  /** Sorts the interpolation tables; called once after the last add. */
  seal(): void {
    const sorted = this.pending.sort((a, b) => a.n - b.n);
    for (const p of sorted) {
      const side = this.sides[p.n % 2];
      if (side.numbers.at(-1) === p.n) continue;
      side.numbers.push(p.n);
      side.coords.push(p.lon, p.lat);
    }
    this.pending = [];
  }

  /** The address points with exactly this plate. */
  exact(key: string): NumberHit[] {
    return (this.byKey.get(key) ?? []).map((i) => {
      const [lon, lat] = this.coordsOf.get(i)!;
      return { address: i, lon, lat, interpolated: false };
    });
  }

  /** A point between the nearest lower and higher numbers on the same side; null beyond either end. */
  interpolate(n: number): NumberHit | null {
    const side = this.sides[n % 2];
    const hi = lowerBound(side.numbers, n);
    if (hi === 0 || hi >= side.numbers.length) return null;
    const lo = hi - 1;
    const t = (n - side.numbers[lo]) / (side.numbers[hi] - side.numbers[lo]);
    const c = side.coords;
    return {
      address: -1, interpolated: true,
      lon: c[2 * lo] + t * (c[2 * hi] - c[2 * lo]),
      lat: c[2 * lo + 1] + t * (c[2 * hi + 1] - c[2 * lo + 1]),
    };
  }

  /** The highest number on the side of n, for "beyond the last house" warnings. */
  lastNumber(n: number): number | null {
    return this.sides[n % 2].numbers.at(-1) ?? null;
  }

  /** The end house nearest to n on its side (first or last), to stand for a number beyond the range. */
  endNearest(n: number): NumberHit | null {
    const side = this.sides[n % 2];
    if (side.numbers.length === 0) return null;
    const i = n < side.numbers[0] ? 0 : side.numbers.length - 1;
    return { address: -1, interpolated: true, lon: side.coords[2 * i], lat: side.coords[2 * i + 1] };
  }

  /** Some house point halfway along the numbers, for a road with no geometry. */
  middle(): [number, number] | null {
    const side = this.sides[1].numbers.length ? this.sides[1] : this.sides[0];
    if (side.numbers.length === 0) return null;
    const i = side.numbers.length >> 1;
    return [side.coords[2 * i], side.coords[2 * i + 1]];
  }

  /** Plates starting with the typed digits, for autocomplete. */
  keysStartingWith(prefix: string, limit: number): string[] {
    const out: string[] = [];
    for (const key of this.byKey.keys()) {
      if (key.startsWith(prefix)) out.push(key);
    }
    return out.sort((a, b) => parseFloat(a) - parseFloat(b) || a.localeCompare(b)).slice(0, limit);
  }

  /** Address indexes with this plate that lie in one of the given communities or streets. */
  all(): IterableIterator<[string, number[]]> {
    return this.byKey.entries();
  }
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
