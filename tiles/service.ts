import { createHash } from 'node:crypto';
import type { RenderedTile } from './budget.js';
import type { TileCache } from './cache.js';
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
    const list = [...new Set(ids.split(',').map((s) => s.trim()).filter(Boolean))];
    if (list.length === 0 || list.length > MAX_COMPOSITE) {
      throw new TileError('WANMI_TILE_SOURCE', 'source', `give 1 to ${MAX_COMPOSITE} source ids, comma-separated`);
    }
    return list.map((id) => this.source(id));
  }

  /** The (composite) tile, or null when empty. */
  tile(ids: string, z: number, x: number, y: number, filters: TileFilters = {}): RenderedTile | null {
    validateTile(z, x, y);
    const sources = this.resolve(ids);
    for (const name of Object.keys(filters)) {
      if (!sources.some((s) => s.filterNames.includes(name))) {
        throw new TileError('WANMI_TILE_FILTER', name, `none of the sources ${ids} has a filter ${name}`);
      }
    }
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

function pick(filters: TileFilters, names: readonly string[]): TileFilters {
  const out: Record<string, string> = {};
  for (const name of names) if (filters[name] !== undefined) out[name] = filters[name];
  return out;
}
