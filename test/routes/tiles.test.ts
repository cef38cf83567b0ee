import t from 'tap';
import { gunzipSync } from 'node:zlib';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { testStores } from '../helpers/stores.js';
import { demoApp } from '../helpers/app.js';
import { layerCodecs } from '../../src/store/layers.js';
import { insertFeatures } from '../../src/store/layer-io.js';
import { bumpDataVersion } from '../../src/store/meta.js';
import type { Component } from '../../src/domain/types.js';

/** The z/x/y tile containing a lon/lat. */
function tileOf(lon: number, lat: number, z: number): [number, number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return [z, x, y];
}

const decode = (body: Buffer) => new VectorTile(new Pbf(body));

t.test('vector tiles over HTTP', async (t) => {
  const [factory] = testStores();
  const { app, store, city, close } = await demoApp(await factory.make());
  t.teardown(close);
  const grid = city.grids[0];
  const ring = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0][0];
  const [lon, lat] = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
  const [z, x, y] = tileOf(lon, lat, 16);

  t.test('catalog, TileJSON with a versioned absolute URL, style', async (t) => {
    const catalog = (await app.inject({ url: '/tiles/catalog' })).json();
    t.same(Object.keys(catalog.tiles).sort(), ['addresses', 'admin', 'components', 'grids', 'roads', 'zones']);
    const tj = (await app.inject({ url: '/tiles/grids', headers: { host: 'wanmi.example:8080' } })).json();
    t.equal(tj.tilejson, '3.0.0');
    t.match(tj.tiles[0], /^http:\/\/wanmi\.example:8080\/tiles\/grids\/\{z\}\/\{x\}\/\{y\}\.mvt\?v=\d+$/);
    t.ok(tj.vector_layers.some((l: { id: string }) => l.id === 'grids'));
    t.equal((await app.inject({ url: '/tiles/nope' })).json().code, 'WANMI_TILE_SOURCE');
    const style = (await app.inject({ url: '/styles/wanmi.json' })).json();
    t.equal(style.version, 8);
    t.ok(style.layers.length > 5);
  });

  t.test('a tile decodes with the grid in it; a composite tile has both sources', async (t) => {
    const res = await app.inject({ url: `/tiles/grids/${z}/${x}/${y}.mvt` });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-type'], 'application/vnd.mapbox-vector-tile');
    const vt = decode(res.rawPayload);
    const layer = vt.layers.grids;
    const codes = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties.code);
    t.ok(codes.includes(grid.code));
    const both = decode((await app.inject({ url: `/tiles/grids,components/${z}/${x}/${y}.mvt` })).rawPayload);
    t.ok(both.layers.grids && (both.layers.components || both.layers.component_clusters));
  });

  t.test('HTTP semantics: 204, 400, 404, ETag/304, gzip, cache headers', async (t) => {
    t.equal((await app.inject({ url: '/tiles/grids/16/0/0.mvt' })).statusCode, 204, 'empty tile');
    t.equal((await app.inject({ url: '/tiles/grids/23/0/0.mvt' })).json().code, 'WANMI_TILE_ZOOM');
    t.equal((await app.inject({ url: '/tiles/grids/2/4/0.mvt' })).json().code, 'WANMI_TILE_RANGE');
    t.equal((await app.inject({ url: `/tiles/nope/${z}/${x}/${y}.mvt` })).statusCode, 404);
    t.equal((await app.inject({ url: `/tiles/components/${z}/${x}/${y}.mvt?class=abc` })).json().code, 'WANMI_BAD_PARAMETER');
    const first = await app.inject({ url: `/tiles/grids/${z}/${x}/${y}.mvt` });
    const etag = first.headers.etag as string;
    t.match(etag, /^"/);
    const again = await app.inject({ url: `/tiles/grids/${z}/${x}/${y}.mvt`, headers: { 'if-none-match': etag } });
    t.equal(again.statusCode, 304);
    const gz = await app.inject({ url: `/tiles/grids/${z}/${x}/${y}.mvt`, headers: { 'accept-encoding': 'gzip, br' } });
    t.equal(gz.headers['content-encoding'], 'gzip');
    t.same(gunzipSync(gz.rawPayload), first.rawPayload);
    const version = (await app.inject({ url: '/health' })).json().dataVersion;
    const pinned = await app.inject({ url: `/tiles/grids/${z}/${x}/${y}.mvt?v=${version}` });
    t.match(pinned.headers['cache-control'], /immutable/);
    t.notMatch(first.headers['cache-control'], /immutable/);
  });

  t.test('after a data change commits, the next tile shows it', async (t) => {
    const [cz, cx, cy] = tileOf(lon, lat, 18);
    const url = `/tiles/components/${cz}/${cx}/${cy}.mvt`;
    const ids = (body: Buffer) => {
      const layer = decode(body).layers.components;
      return layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties.id) : [];
    };
    const before = await app.inject({ url });
    const added: Component = {
      ...city.components[0], id: '3301020118999999', geometry: { type: 'Point', coordinates: [lon, lat] },
    };
    t.notOk(ids(before.rawPayload).includes(added.id));
    await store.db.transaction(async (trx) => {
      await insertFeatures(trx, layerCodecs.components, [added]);
      await bumpDataVersion(trx);
    });
    t.equal(await app.wanmi.refreshIndex(), true);
    const after = await app.inject({ url });
    t.equal(after.statusCode, 200);
    t.ok(ids(after.rawPayload).includes(added.id), 'the new component is in the tile');
    t.not(after.headers.etag, before.headers.etag);
  });
});
