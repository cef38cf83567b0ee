import t from 'tap';
import { testStores } from '../helpers/stores.js';
import { demoCity, testConfig } from '../helpers/app.js';
import { openStore } from '../../src/store/connect.js';
import { writeCity } from '../../src/store/city-writer.js';
import { createApp } from '../../src/app.js';
import { gridsInForce } from '../../src/index/city-index.js';
import type { Grid } from '../../src/domain/types.js';

t.test('gridsInForce keeps grids with no termination date or one still to come', async (t) => {
  const base = { name: 'g', communityCode: '330102008059', areaM2: 1, initialDate: '2010-01-01', note: null, geometry: { type: 'Polygon', coordinates: [] } } as unknown as Grid;
  const grids = [
    { ...base, code: 'a', terminationDate: null },
    { ...base, code: 'b', terminationDate: '2020-06-30' },
    { ...base, code: 'c', terminationDate: '2026-11-22' },
    { ...base, code: 'd', terminationDate: '2030-01-01' },
  ];
  t.same(gridsInForce(grids, '2026-11-22').map((g) => g.code), ['a', 'd'], 'terminated today or before is out');
});

for (const factory of testStores()) {
  t.test(`a terminated grid is not answered by lookups (${factory.kind})`, async (t) => {
    const testStore = await factory.make();
    const store = await openStore(testStore.config);
    const { city, classes } = demoCity(0.05);
    const victim = city.grids[3];
    const grids = city.grids.map((g) => (g === victim ? { ...g, terminationDate: '2021-12-31' } : g));
    await writeCity(store.db, { ...city, grids }, classes);
    const app = await createApp({ config: testConfig(testStore.config), store });
    t.teardown(async () => {
      await app.close();
      await store.close();
      await testStore.cleanup();
    });
    const ring = victim.geometry.type === 'Polygon' ? victim.geometry.coordinates[0] : victim.geometry.coordinates[0][0];
    const pts = ring.slice(0, -1);
    const [lon, lat] = [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
    const body = (await app.inject({ url: `/v1/lookup?lon=${lon}&lat=${lat}` })).json();
    t.equal(body.grid, null, 'no grid: the one here was terminated in 2021');
    t.equal(body.community?.code, victim.communityCode, 'the community still answers');
    const record = (await app.inject({ url: `/v1/grids/${victim.code}` })).json();
    t.equal(record.properties.terminationDate, '2021-12-31', 'its record is still served by code, with the date it ended');
    t.equal((await app.inject({ url: '/health' })).json().counts.grids, city.grids.length, 'health counts the grids as stored');
  });
}
