import t from 'tap';
import { testStores } from '../helpers/stores.js';
import { demoCity } from '../helpers/app.js';
import { openStore } from '../../src/store/connect.js';
import { migrationSource } from '../../src/store/migrations/index.js';
import { layerCodecs } from '../../src/store/layers.js';
import { insertFeatures, readFeatures, readFeature, countFeatures } from '../../src/store/layer-io.js';
import { writeCity, isStoreEmpty, clearCity } from '../../src/store/city-writer.js';
import { readDataVersion } from '../../src/store/meta.js';
import type { Component, Geometry } from '../../src/domain/types.js';

const LAYER_TABLES = ['admin_areas', 'grids', 'components', 'addresses', 'roads', 'zones', 'units', 'classes', 'imports', 'feature_history'];

/** One geometry of every type the store must carry, with a hole and multi-parts. */
const GEOMETRIES: Geometry[] = [
  { type: 'Point', coordinates: [120.1712345678, 30.2512345678] },
  { type: 'MultiPoint', coordinates: [[120.17, 30.25], [120.18, 30.26]] },
  { type: 'LineString', coordinates: [[120.17, 30.25], [120.171, 30.2505], [120.172, 30.251]] },
  { type: 'MultiLineString', coordinates: [[[120.17, 30.25], [120.171, 30.251]], [[120.18, 30.26], [120.181, 30.261]]] },
  {
    type: 'Polygon',
    coordinates: [
      [[120.17, 30.25], [120.18, 30.25], [120.18, 30.26], [120.17, 30.26], [120.17, 30.25]],
      [[120.172, 30.252], [120.172, 30.254], [120.174, 30.254], [120.174, 30.252], [120.172, 30.252]],
    ],
  },
  {
    type: 'MultiPolygon',
    coordinates: [
      [[[120.17, 30.25], [120.171, 30.25], [120.171, 30.251], [120.17, 30.25]]],
      [[[120.19, 30.25], [120.191, 30.25], [120.191, 30.251], [120.19, 30.25]]],
    ],
  },
];

function component(i: number, geometry: Geometry): Component {
  return {
    id: `33010201180${String(i + 1).padStart(5, '0')}`, major: '01', minor: '18', name: '路灯（测试）',
    competentUnit: '上城区城市照明管理所', ownerUnit: null, maintainerUnit: null, gridCode: null, state: '完好',
    initialDate: '2024-03-01', changedDate: null, dataSource: '实测', note: '备注：中文', extra: { 材质: '铸铁', height: 8.5 },
    geometry,
  };
}

for (const factory of testStores()) {
  t.test(`${factory.kind} store`, async (t) => {
    const testStore = await factory.make();
    t.teardown(() => testStore.cleanup());

    t.test('migrations go up and down and up again', async (t) => {
      const store = await openStore(testStore.config);
      for (const table of LAYER_TABLES) t.ok(await store.db.schema.hasTable(table), `${table} exists`);
      await store.db.migrate.rollback({ migrationSource }, true);
      for (const table of LAYER_TABLES) t.notOk(await store.db.schema.hasTable(table), `${table} dropped`);
      if (factory.kind === 'geopackage') {
        const rows = await store.db('gpkg_contents').select('table_name');
        t.same(rows, [], 'no layer left registered in gpkg_contents');
      }
      await store.db.migrate.latest({ migrationSource });
      t.ok(await store.db.schema.hasTable('grids'));
      await store.close();
    });

    t.test('every geometry type round-trips exactly, with Chinese text and extras', async (t) => {
      const store = await openStore(testStore.config);
      t.teardown(() => store.close());
      const items = GEOMETRIES.map((g, i) => component(i, g));
      await insertFeatures(store.db, layerCodecs.components, items);
      const back = await readFeatures(store.db, layerCodecs.components);
      t.equal(back.length, items.length);
      for (const [i, item] of items.entries()) {
        const got = back.find((b) => b.id === item.id)!;
        t.same(got.geometry, item.geometry, `${item.geometry.type} round-trips`);
        t.equal(got.name, '路灯（测试）');
        t.same(got.extra, { 材质: '铸铁', height: 8.5 });
        t.equal(got.ownerUnit, null);
        t.equal(i >= 0, true);
      }
      const one = await readFeature(store.db, layerCodecs.components, items[4].id);
      t.same(one?.geometry, items[4].geometry, 'polygon with a hole read by key');
      await store.db('components').delete();
    });

    t.test('a city is written all-or-nothing', async (t) => {
      const store = await openStore(testStore.config);
      t.teardown(() => store.close());
      const { city, classes } = demoCity();
      const before = await readDataVersion(store.db);
      const broken = { ...city, grids: [...city.grids, city.grids[0]] };
      await t.rejects(writeCity(store.db, broken, classes), 'a duplicate grid code fails the write');
      t.ok(await isStoreEmpty(store.db), 'nothing landed');
      t.equal(await countFeatures(store.db, 'admin_areas'), 0);
      t.equal(await countFeatures(store.db, 'units'), 0);
      t.equal(await readDataVersion(store.db), before, 'data version unchanged');

      const version = await writeCity(store.db, city, classes);
      t.equal(version, before + 1);
      t.equal(await countFeatures(store.db, 'grids'), city.grids.length);
      t.equal(await countFeatures(store.db, 'components'), city.components.length);
      const grids = await readFeatures(store.db, layerCodecs.grids);
      const sample = city.grids[3];
      t.same(grids.find((g) => g.code === sample.code), sample, 'a grid reads back as written');

      if (factory.kind === 'geopackage') {
        const rtreeCount = async () => Number((await store.db('rtree_components_geom').count({ n: '*' }))[0].n);
        t.equal(await rtreeCount(), city.components.length, 'the bulk load indexed every component');
        const more = GEOMETRIES.map((g, i) => component(900 + i, g));
        await insertFeatures(store.db, layerCodecs.components, more);
        t.equal(await rtreeCount(), city.components.length + more.length, 'a second load into a non-empty table keeps the old entries');
        const triggers = await store.db('sqlite_master').where({ type: 'trigger', tbl_name: 'components' }).pluck('name');
        t.ok(triggers.includes('rtree_components_geom_insert'), 'the R-tree triggers are back after the load');
        await store.db('components').where('obj_id', more[0].id).delete();
        t.equal(await rtreeCount(), city.components.length + more.length - 1, 'and keep the tree current on delete');
        const [box] = await store.db('rtree_components_geom').where('id', store.db('components').select('fid').where('obj_id', more[4].id));
        t.ok(box.minx <= 120.17 && box.maxx >= 120.18 && box.miny <= 30.25 && box.maxy >= 30.26, 'the box covers the polygon');
      }

      await clearCity(store.db);
      t.ok(await isStoreEmpty(store.db));
    });
  });
}
