import type { RenderedTile } from './budget.js';
import type { TileFilters } from './source.js';

/** What identifies one cached tile: the data version is part of it, so a new import never serves stale bytes. */
export interface TileKey {
  source: string;
  z: number;
  x: number;
  y: number;
  filters?: TileFilters;
  dataVersion: number;
}

export interface TileCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  bytes: number;
  maxBytes: number;
}

/** A cached answer; `tile` null is a cached empty tile (worth keeping: most of the world is empty). */
export interface CachedTile {
  tile: RenderedTile | null;
}

/** Bookkeeping cost of an entry beyond its bytes (key, object headers, Map slot), so empty tiles count too. */
const ENTRY_OVERHEAD = 128;

/**
 * A byte-bounded LRU of rendered tiles, keyed source/z/x/y/filters/dataVersion.
 *
 * A Map keeps insertion order, so re-inserting on a hit makes the first key the least recently used;
 * inserting evicts from the front until the total is under maxBytes. A tile bigger than the whole
 * cache is not kept. invalidateSource drops one source's entries, or those older than a version (after a
 * re-import of that layer); entries of an old version also age out on their own, since no request asks
 * for them again. The version is the source's own (its layer's), so other sources' entries stay valid.
 * Not shared between processes; one per app instance, passed in, never a module singleton.
 */
export class TileCache {
  readonly maxBytes: number;
  private readonly entries = new Map<string, { source: string; dataVersion: number; value: CachedTile; bytes: number }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(options: { maxBytes: number }) {
    this.maxBytes = options.maxBytes;
  }

  get(key: TileKey): CachedTile | undefined {
    const k = tileCacheKey(key);
    const entry = this.entries.get(k);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(k);
    this.entries.set(k, entry);
    return entry.value;
  }

  set(key: TileKey, tile: RenderedTile | null): void {
    const k = tileCacheKey(key);
    const bytes = (tile?.data.byteLength ?? 0) + k.length * 2 + ENTRY_OVERHEAD;
    this.remove(k);
    if (bytes > this.maxBytes) return;
    this.entries.set(k, { source: key.source, dataVersion: key.dataVersion, value: { tile }, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
      this.evictions++;
    }
  }

  /** Drops the entries of one source (only those older than `keepVersion`, when given); returns how many. */
  invalidateSource(source: string, keepVersion = Infinity): number {
    let n = 0;
    for (const [k, entry] of this.entries) {
      if (entry.source === source && entry.dataVersion < keepVersion) {
        this.remove(k);
        n++;
      }
    }
    return n;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  stats(): TileCacheStats {
    return {
      hits: this.hits, misses: this.misses, evictions: this.evictions,
      entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes,
    };
  }

  private remove(k: string): void {
    const entry = this.entries.get(k);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(k);
  }
}

/** Canonical key: filter names sorted, so ?a=1&b=2 and ?b=2&a=1 share an entry. */
export function tileCacheKey(key: TileKey): string {
  const filters = key.filters ?? {};
  if (Object.keys(filters).length === 0) return `${key.source}@${key.dataVersion}/${key.z}/${key.x}/${key.y}?`;
  const query = Object.keys(filters).sort().map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(filters[name])}`).join('&');
  return `${key.source}@${key.dataVersion}/${key.z}/${key.x}/${key.y}?${query}`;
}
