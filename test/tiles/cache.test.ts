import t from 'tap';
import { TileCache, tileCacheKey } from '../../tiles/cache.js';
import { TileService } from '../../tiles/service.js';
import type { RenderedTile } from '../../tiles/budget.js';
import { demo, tilesCovering, DATA_VERSION } from '../fixtures/tiles/demo.js';
import { layerNames } from '../fixtures/tiles/decode.js';

const tile = (bytes: number): RenderedTile => ({ data: new Uint8Array(bytes), etag: '"x"', features: 1, dropped: 0 });
const key = (source: string, x: number, filters = {}) => ({ source, z: 16, x, y: 0, filters, dataVersion: 1 });

t.test('keys: filters in any order share an entry; the data version separates', async (t) => {
  t.equal(tileCacheKey(key('c', 1, { a: '1', b: '2' })), tileCacheKey(key('c', 1, { b: '2', a: '1' })));
  t.not(tileCacheKey(key('c', 1)), tileCacheKey({ ...key('c', 1), dataVersion: 2 }));
  t.not(tileCacheKey(key('c', 1, { class: '01' })), tileCacheKey(key('c', 1, { class: '02' })));
});

t.test('evicts least recently used entries by bytes, counts hits and misses', async (t) => {
  const cache = new TileCache({ maxBytes: 10_000 });
  for (let x = 0; x < 4; x++) cache.set(key('a', x), tile(2000));
  t.ok(cache.get(key('a', 0)), 'hit refreshes entry 0');
  cache.set(key('a', 4), tile(2000)); // over 10 000 with overheads: the least recent (1) goes
  t.equal(cache.get(key('a', 1)), undefined, 'entry 1 evicted');
  t.ok(cache.get(key('a', 0)), 'entry 0 kept: it was used');
  const s = cache.stats();
  t.ok(s.bytes <= s.maxBytes, `${s.bytes} ≤ ${s.maxBytes}`);
  t.equal(s.hits, 2);
  t.equal(s.misses, 1);
  t.ok(s.evictions >= 1);
  cache.set(key('a', 9), tile(50_000));
  t.equal(cache.get(key('a', 9)), undefined, 'a tile bigger than the cache is not kept');
  cache.set(key('a', 8), null);
  t.same(cache.get(key('a', 8)), { tile: null }, 'an empty tile is cached as such');
});

t.test('invalidateSource drops one source only', async (t) => {
  const cache = new TileCache({ maxBytes: 1_000_000 });
  for (let x = 0; x < 3; x++) {
    cache.set(key('components', x), tile(100));
    cache.set(key('grids', x), tile(100));
  }
  t.equal(cache.invalidateSource('components'), 3);
  t.equal(cache.get(key('components', 0)), undefined);
  t.ok(cache.get(key('grids', 0)));
  t.equal(cache.stats().entries, 3);
});

t.test('TileService: cached per source, composite tiles, filters routed to the sources that take them', async (t) => {
  const { sources } = demo();
  const cache = new TileCache({ maxBytes: 50_000_000 });
  const service = new TileService([...sources.values()], cache);
  const [x, y] = tilesCovering(sources.get('components')!.bounds, 16)[5];
  const first = service.tile('admin,grids,components', 16, x, y, { class: '01' })!;
  t.same(layerNames(first.data).filter((n) => ['components', 'grids', 'community'].includes(n)).sort(), ['community', 'components', 'grids']);
  t.equal(cache.stats().misses, 3);
  const again = service.tile('admin,grids,components', 16, x, y, { class: '01' })!;
  t.equal(cache.stats().hits, 3, 'second request served from the cache');
  t.equal(again.etag, first.etag, 'same ETag for the same bytes');
  t.ok(Buffer.from(again.data).equals(first.data), 'same bytes');
  t.not(service.tile('components', 16, x, y, { class: '02' })!.etag, first.etag);
  const single = service.tile('components', 16, x, y)!;
  t.ok(Buffer.from(single.data).equals(sources.get('components')!.getTile(16, x, y)!), 'a single source is its own tile');
  t.equal(service.tile('grids', 14, 0, 0), null, 'empty → null');
  t.throws(() => service.tile('nope', 16, x, y), { code: 'WANMI_TILE_SOURCE', statusCode: 404 });
  t.throws(() => service.tile('admin,grids', 16, x, y, { class: '01' }), { code: 'WANMI_TILE_FILTER', field: 'class' });
  t.throws(() => service.tile('grids', 30, 0, 0), { code: 'WANMI_TILE_ZOOM' });
  t.ok(cache.invalidateSource('components') > 0);
  const before = cache.stats();
  service.tile('admin,grids,components', 16, x, y, { class: '01' });
  t.equal(cache.stats().misses, before.misses + 1, 'only components re-rendered after its invalidation');
  t.equal(cache.stats().hits, before.hits + 2, 'admin and grids still cached');
  t.equal(sources.get('admin')!.dataVersion, DATA_VERSION);
});
