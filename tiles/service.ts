import { createHash } from 'node:crypto';
import type { RenderedTile } from './budget.js';
import type { TileCache, TileCacheStats } from './cache.js';
import type { TileFilters, TileSource } from './source.js';
import { TileError } from './errors.js';
import { validateTile } from './mercator.js';

/** Most sources in one composite request (there are six). */
const MAX_COMPOSITE = 8;

/**
 * The tile sources of one data version with a shared cache: what a route calls. Immutable apart from the
 * cache; a new data version gets a new TileService over the same cache (keys carry the version).
 *
 * tile('admin,components', z, x, y, filters):
 *  1. validate the address and the source list (WANMI_TILE_ZOOM / _RANGE / _SOURCE);
 *  2. give each source only the filters it accepts; a filter no listed source accepts is WANMI_TILE_FILTER;
 *  3. per source, cache hit or render and store (empty tiles are cached too);
 *  4. concatenate: an MVT is a sequence of layer messages, so tiles of sources with distinct layer
 *     names concatenate into one valid tile. ETag from the parts' ETags, no second hash of the bytes.
 */
export class TileService {
  readonly sources: ReadonlyMap<string, TileSource>;
  private readonly cache: TileCache | null;
  /** Parsed source lists by request string (a cached tile's path does no splitting). */
  private readonly lists = new Map<string, TileSource[]>();

  constructor(sources: readonly TileSource[], cache: TileCache | null) {
    this.sources = new Map(sources.map((s) => [s.id, s]));
    this.cache = cache;
  }

  /** One source by id, or WANMI_TILE_SOURCE. */
  source(id: string): TileSource {
    const s = this.sources.get(id);
    if (!s) throw new TileError('WANMI_TILE_SOURCE', 'source', `no tile source ${id} (known: ${[...this.sources.keys()].join(', ')})`);
    return s;
  }

  /** Parses a comma-separated source list (duplicates removed, order kept). */
  resolve(ids: string): TileSource[] {
    const known = this.lists.get(ids);
    if (known) return known;
    const list = [...new Set(ids.split(',').map((s) => s.trim()).filter(Boolean))];
    if (list.length === 0 || list.length > MAX_COMPOSITE) {
      throw new TileError('WANMI_TILE_SOURCE', 'source', `give 1 to ${MAX_COMPOSITE} source ids, comma-separated`);
    }
    const sources = list.map((id) => this.source(id));
    // Only valid lists get here; a bound keeps request strings from growing the map without end.
    if (this.lists.size < 256) this.lists.set(ids, sources);
    return sources;
  }

  /**
   * The version a (composite) tile URL carries: the newest of its sources' versions. Each source moves
   * only when its own rows change, so an import of one layer leaves the other sources' URLs as they were.
   */
  versionOf(ids: string): number {
    return Math.max(...this.resolve(ids).map((s) => s.dataVersion));
  }

  /**
   * Frees the cached tiles of older versions of these sources (call once this service is the live one):
   * they would only age out of the LRU otherwise. Tiles of unchanged sources keep their entries.
   */
  evictStale(): number {
    let n = 0;
    for (const s of this.sources.values()) n += this.cache?.invalidateSource(s.id, s.dataVersion) ?? 0;
    return n;
  }

  /** The shared cache's counters (hits, misses, bytes…), or null without a cache. */
  cacheStats(): TileCacheStats | null {
    return this.cache?.stats() ?? null;
  }

  /** The (composite) tile, or null when empty. */
  tile(ids: string, z: number, x: number, y: number, filters: TileFilters = {}): RenderedTile | null {
    validateTile(z, x, y);
    const sources = this.resolve(ids);
    const names = Object.keys(filters);
    for (const name of names) {
      if (!sources.some((s) => s.filterNames.includes(name))) {
        throw new TileError('WANMI_TILE_FILTER', name, `none of the sources ${ids} has a filter ${name}`);
      }
    }
    if (sources.length === 1) return this.sourceTile(sources[0], z, x, y, names.length ? pick(filters, sources[0].filterNames) : NO_FILTERS);
    const parts = sources.map((s) => this.sourceTile(s, z, x, y, pick(filters, s.filterNames))).filter((t) => t !== null);
    if (parts.length <= 1) return parts[0] ?? null;
    const data = new Uint8Array(parts.reduce((n, t) => n + t.data.byteLength, 0));
    let offset = 0;
    for (const t of parts) {
      data.set(t.data, offset);
      offset += t.data.byteLength;
    }
    const etag = `"${createHash('sha1').update(parts.map((t) => t.etag).join()).digest('base64url')}"`;
    return {
      data, etag, features: parts.reduce((n, t) => n + t.features, 0), dropped: parts.reduce((n, t) => n + t.dropped, 0),
    };
  }

  private sourceTile(source: TileSource, z: number, x: number, y: number, filters: TileFilters): RenderedTile | null {
    const key = { source: source.id, z, x, y, filters, dataVersion: source.dataVersion };
    const hit = this.cache?.get(key);
    if (hit) return hit.tile;
    const tile = source.renderTile(z, x, y, { filters });
    this.cache?.set(key, tile);
    return tile;
  }
}

const NO_FILTERS: TileFilters = Object.freeze({});

function pick(filters: TileFilters, names: readonly string[]): TileFilters {
  const out: Record<string, string> = {};
  for (const name of names) if (filters[name] !== undefined) out[name] = filters[name];
  return out;
}
