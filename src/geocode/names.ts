/**
 * The name dictionary the parser scans with: every name an address can contain (province, city,
 * district, street, community, road, place), in full and in its usual short form (杭州 for 杭州市,
 * 上城 for 上城区, 望江 for 望江街道), keyed by first character for a longest-match scan.
 */
export type NameLevel = 'province' | 'city' | 'district' | 'street' | 'community' | 'road' | 'place';

/** Levels in address order (GB/T 37149 appendix B): province first, place last. */
export const NAME_LEVELS: readonly NameLevel[] = ['province', 'city', 'district', 'street', 'community', 'road', 'place'];

export interface NameEntry {
  /** The name as it appears in text (normalised). */
  text: string;
  level: NameLevel;
  /** What it names: admin codes, road keys or place indexes, as strings. */
  refs: string[];
  /** The full name when `text` is a short form. */
  fullName: string;
  short: boolean;
}

/** A dictionary hit in the text. */
export interface NameHit {
  entry: NameEntry;
  start: number;
  end: number;
}

/** Suffixes stripped to make short forms, per level, longest first. */
const SHORT_FORM_SUFFIXES: Partial<Record<NameLevel, readonly string[]>> = {
  province: ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'],
  city: ['自治州', '地区', '市', '盟'],
  district: ['自治县', '区', '县', '市', '旗'],
  street: ['街道办事处', '街道', '镇', '乡'],
  community: ['社区居民委员会', '村民委员会', '居委会', '社区', '村'],
};

/** The short form of a name (望江街道 → 望江), or null when stripping leaves under two characters. */
export function shortForm(name: string, level: NameLevel): string | null {
  for (const suffix of SHORT_FORM_SUFFIXES[level] ?? []) {
    if (name.endsWith(suffix) && name.length - suffix.length >= 2) return name.slice(0, -suffix.length);
  }
  return null;
}

export class NameDictionary {
  private readonly byFirstChar = new Map<string, NameEntry[]>();
  private readonly byKey = new Map<string, NameEntry>();

  /** Adds a name (and its short form) for a thing at a level; the same text may name several things. */
  add(name: string, level: NameLevel, ref: string, options: { short?: boolean } = {}): void {
    if (name.length === 0) return;
    this.put(name, level, ref, name, false);
    if (options.short !== false) {
      const short = shortForm(name, level);
      if (short) this.put(short, level, ref, name, true);
    }
  }

  /** Every entry whose text starts at `pos`, longest first. */
  matchesAt(text: string, pos: number): NameEntry[] {
    const list = this.byFirstChar.get(text[pos]);
    if (!list) return [];
    return list.filter((e) => text.startsWith(e.text, pos));
  }

  /** The exact entry for a text at a level. */
  get(text: string, level: NameLevel): NameEntry | undefined {
    return this.byKey.get(`${level}|${text}`);
  }

  entries(): IterableIterator<NameEntry> {
    return this.byKey.values();
  }

  private put(text: string, level: NameLevel, ref: string, fullName: string, short: boolean): void {
    const key = `${level}|${text}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { text, level, refs: [], fullName, short };
      this.byKey.set(key, entry);
      const list = this.byFirstChar.get(text[0]) ?? [];
      list.push(entry);
      list.sort((a, b) => b.text.length - a.text.length);
      this.byFirstChar.set(text[0], list);
    } else if (entry.short && !short) {
      // A full name wins over another thing's short form of the same text.
      entry.short = false;
      entry.fullName = fullName;
    }
    if (!entry.refs.includes(ref)) entry.refs.push(ref);
  }
}
