import t from 'tap';
import { readFileSync } from 'node:fs';
import { testStores } from '../helpers/stores.js';
import { demoApp } from '../helpers/app.js';
import { setResponsibilityList } from '../../src/service/responsibility.js';
import { DEMO_RESPONSIBILITY_FILE } from '../../src/service/demo-city.js';
import { readDataVersion } from '../../src/store/meta.js';

const demoList = JSON.parse(readFileSync(DEMO_RESPONSIBILITY_FILE, 'utf8'));

for (const factory of testStores()) {
  t.test(`responsibility list changes reach the running service on ${factory.kind}`, async (t) => {
    const { app, store, city, close } = await demoApp(await factory.make());
    t.teardown(close);
    const grid = city.grids[10];
    const ring = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0][0];
    const [lon, lat] = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
    const ask = async () => (await app.inject({ url: `/v1/ownership?lon=${lon}&lat=${lat}&kind=event&class=0501` })).json();

    const before = await ask();
    t.notOk(before.responsible.some((r: { role: string }) => r.role === 'department'), '0501 goes to the territory at first');

    t.test('a list naming an unknown unit is refused and changes nothing', async (t) => {
      const version = await readDataVersion(store.db);
      const bad = { ...demoList, eventDepartments: [{ classes: ['0501'], unit: 'NO-SUCH-UNIT' }] };
      await t.rejects(setResponsibilityList(store.db, bad), { code: 'WANMI_RESPONSIBILITY_LIST' });
      t.equal(await readDataVersion(store.db), version);
    });

    t.test('a valid list is stored, the version moves, the refreshed index answers with it', async (t) => {
      const police = city.units.find((u) => u.kind === 'police')!;
      const list = { ...demoList, version: 'test-2', eventDepartments: [...demoList.eventDepartments, { classes: ['0501'], unit: police.code }] };
      const { dataVersion } = await setResponsibilityList(store.db, list);
      t.equal((await ask()).dataVersion, before.dataVersion, 'the running index is unchanged until it refreshes');
      t.equal(await app.wanmi.refreshIndex(), true);
      const after = await ask();
      t.equal(after.dataVersion, dataVersion);
      t.equal(after.responsible[0].role, 'department');
      t.equal(after.responsible[0].unit.code, police.code);
      t.match(after.responsibilityList, /test-2/);
      t.equal(await app.wanmi.refreshIndex(), false, 'nothing to do when the version has not moved');
    });
  });
}
