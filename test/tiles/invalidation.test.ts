import t from 'tap';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import type { FastifyInstance } from 'fastify';
import { testStores } from '../helpers/stores.js';
import { demoApp } from '../helpers/app.js';
import { componentFeature, tmpDir, writeGeoJSON } from '../helpers/census-fixtures.js';
import { importLayer } from '../../importers/import.js';
import { openGazetteer } from '../../src/domain/gazetteer.js';
import { bumpDataVersion, readDataVersion, readLayerVersions } from '../../src/store/meta.js';
import { setClassDictionary } from '../../src/service/classes.js';
import type { Component } from '../../src/domain/types.js';
import { mercatorX, mercatorY } from '../../tiles/mercator.js';

// Exact invalidation: an import of one layer moves that layer's version only, so the next tile of that
// source shows the change and gets a new URL, while a cached tile of any other source is still served
// from the cache (proved by the cache's hit/miss counters, not by timing).
const gazetteer = openGazetteer();
t.teardown(() => gazetteer.close());

function tileUrl(source: string, [lon, lat]: number[], z: number): string {
  const n = 2 ** z;
  return `/tiles/${source}/${z}/${Math.floor(mercatorX(lon) * n)}/${Math.floor(mercatorY(lat) * n)}.mvt`;
}

function ids(body: Buffer, layer: string, field: string): string[] {
  const l = new VectorTile(new Pbf(body)).layers[layer];
  return l ? Array.from({ length: l.length }, (_, i) => String(l.feature(i).properties[field])) : [];
}

const tileJsonUrl = async (app: FastifyInstance, source: string): Promise<string> =>
  (await app.inject({ url: `/tiles/${source}` })).json().tiles[0];

for (const factory of testStores()) {
  t.test(`a components import invalidates exactly the components tiles on ${factory.kind}`, async (t) => {
    const { app, store, city, close } = await demoApp(await factory.make());
    t.teardown(close);
    const lamp = city.components.find((c) => c.major + c.minor === '0118' && c.geometry.type === 'Point')!;
    const at = (lamp.geometry as { coordinates: number[] }).coordinates;
    const componentsUrl = tileUrl('components', at, 18);
    const gridsUrl = tileUrl('grids', at, 16);
    const tiles = () => app.wanmi.index.current.tiles;

    const urls = { components: await tileJsonUrl(app, 'components'), grids: await tileJsonUrl(app, 'grids') };
    const componentsBefore = await app.inject({ url: componentsUrl });
    const gridsBefore = await app.inject({ url: gridsUrl });
    t.equal(gridsBefore.statusCode, 200);
    t.ok(ids(componentsBefore.rawPayload, 'components', 'id').includes(lamp.id));
    t.match(tiles().cacheStats(), { hits: 0, misses: 2, evictions: 0, entries: 2 }, 'both tiles rendered and cached');

    const added: Component = { ...lamp, id: `${lamp.id.slice(0, 10)}999999`, note: '新增' };
    const dir = tmpDir(t);
    const file = writeGeoJSON(dir, 'update.geojson', [componentFeature(lamp, { ObjState: '丢失' }), componentFeature(added)]);
    const versionsBefore = await readLayerVersions(store.db);
    const result = await importLayer(store, file, { layer: 'components', mode: 'update', gazetteer, validation: { today: '2030-01-01' } });
    t.match(result, { state: 'applied', summary: { added: 1, changed: 1 } });

    t.test('the import moved the data version and the components version only', async (t) => {
      t.equal(await readDataVersion(store.db), result.dataVersion);
      t.same(await readLayerVersions(store.db), { ...versionsBefore, components: result.dataVersion });
    });

    t.test('after the refresh the components tile shows the change under a new URL', async (t) => {
      t.equal(await app.wanmi.refreshIndex(), true);
      t.equal(tiles().cacheStats()!.entries, 1, 'the superseded components tile was freed, the grids tile kept');
      const after = await app.inject({ url: componentsUrl });
      t.equal(after.statusCode, 200);
      t.ok(ids(after.rawPayload, 'components', 'id').includes(added.id), 'the added component is in the tile');
      t.not(after.headers.etag, componentsBefore.headers.etag);
      t.not(await tileJsonUrl(app, 'components'), urls.components, 'the components TileJSON URL moved');
      t.match(await tileJsonUrl(app, 'components'), new RegExp(`\\?v=${result.dataVersion}$`));
    });

    t.test('the grids tile is still served from the cache, under the same URL and ETag', async (t) => {
      t.equal(await tileJsonUrl(app, 'grids'), urls.grids, 'the grids TileJSON URL did not move');
      const before = tiles().cacheStats()!;
      const again = await app.inject({ url: gridsUrl });
      const after = tiles().cacheStats()!;
      t.equal(again.statusCode, 200);
      t.equal(again.headers.etag, gridsBefore.headers.etag);
      t.same(again.rawPayload, gridsBefore.rawPayload);
      t.equal(after.hits, before.hits + 1, 'a cache hit');
      t.equal(after.misses, before.misses, 'nothing rendered');
      const v = new URL(urls.grids).searchParams.get('v');
      const pinned = await app.inject({ url: `${gridsUrl}?v=${v}`, headers: { 'if-none-match': gridsBefore.headers.etag as string } });
      t.equal(pinned.statusCode, 304);
      t.match(pinned.headers['cache-control'], /immutable/, 'the unchanged versioned URL is still immutable');
    });

    t.test('a class dictionary change moves the data version but no tile source', async (t) => {
      const layers = await readLayerVersions(store.db);
      const { dataVersion } = await setClassDictionary(store.db, []);
      t.same(await readLayerVersions(store.db), layers);
      t.equal(await app.wanmi.refreshIndex(), true, 'the refresh loop still sees the write');
      t.equal(app.wanmi.index.current.dataVersion, dataVersion);
      const misses = tiles().cacheStats()!.misses;
      await app.inject({ url: componentsUrl });
      await app.inject({ url: gridsUrl });
      t.equal(tiles().cacheStats()!.misses, misses, 'both tiles still cached');
    });

    t.test('a write that names no layer counts as changing them all; an unknown layer is refused', async (t) => {
      const version = await store.db.transaction((trx) => bumpDataVersion(trx));
      t.same(Object.values(await readLayerVersions(store.db)), Array(6).fill(version));
      await t.rejects(store.db.transaction((trx) => bumpDataVersion(trx, ['parks'])), /no versioned layer parks/);
      t.equal(await readDataVersion(store.db), version, 'the refused bump rolled back');
    });
  });
}
