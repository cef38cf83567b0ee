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

t.test('a city override of the class dictionary reaches the running service', async (t) => {
  const { setClassDictionary } = await import('../../src/service/classes.js');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const path = await import('node:path');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wanmi-classes-'));
  const [factory] = testStores();
  const { app, store, city, close } = await demoApp(await factory.make());
  t.teardown(async () => { await close(); rmSync(dir, { recursive: true, force: true }); });
  const file = path.join(dir, 'city.json');
  writeFileSync(file, JSON.stringify({
    standard: 'city', version: 'city-2025',
    classes: [
      { category: 'component', major: '01', minor: '18', typeCode: '0118', majorName: '公用设施类', name: '路灯（含智慧灯杆）', geometryKinds: ['point'], defaultCompetent: 'lighting' },
      { category: 'event', major: '21', minor: '01', typeCode: '2101', majorName: '扩展事件', name: '共享单车乱停放', geometryKinds: ['point'], defaultCompetent: null },
    ],
  }));
  const grid = city.grids[3];
  const ring = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0][0];
  const q = `lon=${(ring[0][0] + ring[2][0]) / 2}&lat=${(ring[0][1] + ring[2][1]) / 2}&kind=event&class=2101`;
  t.equal((await app.inject({ url: `/v1/ownership?${q}` })).json().code, 'WANMI_UNKNOWN_CLASS', 'the extension class is unknown at first');
  await t.rejects(setClassDictionary(store.db, [path.join(dir, 'missing.json')]), 'a missing file changes nothing');
  await setClassDictionary(store.db, [file]);
  await app.wanmi.refreshIndex();
  const res = await app.inject({ url: `/v1/ownership?${q}` });
  t.equal(res.statusCode, 200);
  t.equal(res.json().class.name, '共享单车乱停放');
  const lamp = await app.inject({ url: `/v1/components/nearby?lon=${ring[0][0]}&lat=${ring[0][1]}&radius=500&class=0118&limit=1` });
  t.equal(lamp.json().components[0].className, '路灯（含智慧灯杆）', 'an overridden name');
});
