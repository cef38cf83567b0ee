import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/connect.js';
import { buildCityIndex, type LiveIndex } from '../index/city-index.js';
import { readDataVersion } from '../store/meta.js';
import type { TileCache, TileService } from '../../tiles/index.js';

/**
 * Builds the first index, then keeps it in step with the store: every `seconds` it reads the data
 * version (one tiny query) and, when another writer or replica has moved it, builds a new index off
 * the request path and swaps it in. A failed refresh keeps serving the old index and logs why.
 */
export async function startIndexRefresh(
  store: Store, live: LiveIndex, log: FastifyBaseLogger, seconds: number, tileCache: TileCache | null = null,
): Promise<{ stop(): void; refreshNow(): Promise<boolean> }> {
  const build = () => buildCityIndex(store.db, { tileCache });
  live.swap(await build());
  log.info({ dataVersion: live.current.dataVersion, ms: Math.round(live.current.buildMs), counts: live.current.counts }, 'index built');
  let running = false;
  const refreshNow = async (): Promise<boolean> => {
    if (running) return false;
    running = true;
    try {
      if ((await readDataVersion(store.db)) === live.current.dataVersion) return false;
      const previous = live.current.tiles;
      live.swap(await build());
      // Free the superseded tiles of the sources that changed; the others' cached tiles stay valid.
      const evicted = live.current.tiles.evictStale();
      log.info({ dataVersion: live.current.dataVersion, changedTiles: changedSources(previous, live.current.tiles), evicted }, 'index rebuilt');
      return true;
    } catch (err) {
      log.error({ err }, 'index refresh failed; serving the previous index');
      return false;
    } finally {
      running = false;
    }
  };
  const timer = seconds > 0 ? setInterval(() => void refreshNow(), seconds * 1000) : null;
  timer?.unref();
  return { stop: () => timer && clearInterval(timer), refreshNow };
}

/** Ids of the tile sources whose version moved between two indexes. */
function changedSources(before: TileService, after: TileService): string[] {
  return [...after.sources.values()].filter((s) => before.sources.get(s.id)?.dataVersion !== s.dataVersion).map((s) => s.id);
}
