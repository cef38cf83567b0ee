import t from 'tap';
import { testStores } from '../helpers/stores.js';
import { demoApp } from '../helpers/app.js';
import { wgs84ToGcj02, wgs84ToBd09 } from '../../src/crs/index.js';
import type { Component, Position } from '../../src/domain/types.js';

const pointOf = (c: Component): Position => (c.geometry.type === 'Point' ? c.geometry.coordinates : [NaN, NaN]);

for (const factory of testStores()) {
  t.test(`ownership and components over HTTP on ${factory.kind}`, async (t) => {
    const { app, city, close } = await demoApp(await factory.make());
    t.teardown(close);
    const lamp = city.components.find((c) => c.major + c.minor === '0118' && c.maintainerUnit && c.geometry.type === 'Point')!;
    const [lon, lat] = pointOf(lamp);

    t.test('component ownership names the lamp and its owner chain', async (t) => {
      const res = await app.inject({ url: `/v1/ownership?lon=${lon}&lat=${lat}&kind=component&class=0118&explain=true` });
      t.equal(res.statusCode, 200);
      const body = res.json();
      t.equal(body.crs, 'EPSG:4490');
      t.equal(body.component.id, lamp.id);
      t.equal(body.class.name, '路灯');
      t.equal(body.responsible[0].role, 'maintainer');
      t.equal(body.responsible[0].unit.code, lamp.maintainerUnit);
      t.ok(body.responsible[0].unit.name.length > 0);
      t.ok(Array.isArray(body.explain) && body.explain.length >= 4);
    });

    t.test('GCJ-02 and BD-09 input land on the same component', async (t) => {
      for (const [crs, convert] of [['gcj02', wgs84ToGcj02], ['bd09', wgs84ToBd09]] as const) {
        const [x, y] = convert(lon, lat);
        const res = await app.inject({ url: `/v1/ownership?lon=${x}&lat=${y}&crs=${crs}&kind=component&class=0118` });
        t.equal(res.statusCode, 200, crs);
        const body = res.json();
        t.equal(body.component.id, lamp.id, crs);
        t.equal(body.input.crs, crs);
        t.ok(Math.abs(body.lon - lon) < 1e-6 && Math.abs(body.lat - lat) < 1e-6, `${crs} converted back to CGCS2000`);
      }
    });

    t.test('event ownership goes to the territory first', async (t) => {
      const res = await app.inject({ url: `/v1/ownership?lon=${lon}&lat=${lat}&kind=event&class=0501` });
      t.equal(res.statusCode, 200);
      const roles = res.json().responsible.map((r: { role: string }) => r.role);
      t.ok(['street_office', 'zone', 'department'].includes(roles[0]));
      t.ok(roles.includes('district'));
    });

    t.test('bad parameters each get their stable code', async (t) => {
      const cases: Array<[string, number, string]> = [
        [`lon=${lon}&lat=${lat}&kind=event&class=9999`, 400, 'WANMI_UNKNOWN_CLASS'],
        [`lon=${lon}&lat=${lat}&kind=event`, 400, 'WANMI_CLASS_REQUIRED'],
        [`lon=${lon}&lat=${lat}&kind=thing&class=0101`, 400, 'WANMI_BAD_PARAMETER'],
        [`lon=${lon}&lat=${lat}&kind=component&componentId=3301020118999999`, 404, 'WANMI_COMPONENT_NOT_FOUND'],
        [`lon=${lon}&lat=${lat}&kind=component&class=12`, 400, 'WANMI_BAD_PARAMETER'],
        [`lon=${lon}&lat=${lat}&kind=event&class=0501&crs=mars`, 400, 'WANMI_BAD_PARAMETER'],
        [`lon=200&lat=${lat}&kind=event&class=0501`, 400, 'WANMI_BAD_COORDINATES'],
        ['lon=10&lat=10&kind=event&class=0501', 404, 'WANMI_OUTSIDE_AREA'],
      ];
      for (const [q, status, code] of cases) {
        const res = await app.inject({ url: `/v1/ownership?${q}` });
        t.equal(res.statusCode, status, q);
        t.equal(res.json().code, code, q);
      }
    });

    t.test('nearby components, nearest first, in metres', async (t) => {
      const res = await app.inject({ url: `/v1/components/nearby?lon=${lon}&lat=${lat}&radius=60&limit=20` });
      t.equal(res.statusCode, 200);
      const list = res.json().components;
      t.equal(list[0].id, lamp.id);
      t.equal(list[0].distanceM, 0);
      for (let i = 1; i < list.length; i++) t.ok(list[i].distanceM >= list[i - 1].distanceM, 'sorted by distance');
      t.ok(list.every((c: { distanceM: number }) => c.distanceM <= 60));
      const only = await app.inject({ url: `/v1/components/nearby?lon=${lon}&lat=${lat}&radius=200&class=0118` });
      t.ok(only.json().components.every((c: { typeCode: string }) => c.typeCode === '0118'));
      const bad = await app.inject({ url: `/v1/components/nearby?lon=${lon}&lat=${lat}&radius=-5` });
      t.equal(bad.json().code, 'WANMI_BAD_PARAMETER');
      t.equal(bad.json().field, 'radius');
    });

    t.test('a component by id, with owner chain and history', async (t) => {
      const res = await app.inject({ url: `/v1/components/${lamp.id}` });
      t.equal(res.statusCode, 200);
      const f = res.json();
      t.equal(f.type, 'Feature');
      t.same(f.geometry, lamp.geometry);
      t.equal(f.properties.ownerChain[0].unit.code, lamp.maintainerUnit);
      t.equal(f.properties.history.changes, 0);
      t.equal((await app.inject({ url: '/v1/components/3301020118999999' })).json().code, 'WANMI_COMPONENT_NOT_FOUND');
      t.equal((await app.inject({ url: '/v1/components/abc' })).json().code, 'WANMI_BAD_PARAMETER');
    });

    t.test('a grid by code, with its admin chain and territorial units', async (t) => {
      const grid = city.grids[5];
      const res = await app.inject({ url: `/v1/grids/${grid.code}` });
      t.equal(res.statusCode, 200);
      const f = res.json();
      t.equal(f.properties.community.code, grid.communityCode);
      t.equal(f.properties.ownerChain[0].unit.code, grid.communityCode.slice(0, 9));
      t.equal((await app.inject({ url: '/v1/grids/330102999999999' })).json().code, 'WANMI_GRID_NOT_FOUND');
    });

    t.test('batch lookup and ownership: results in order, per-item errors', async (t) => {
      const items = [
        { id: 'a', lon, lat },
        { id: 'b', lon: 'x', lat },
        { id: 'c', lon: 10, lat: 10 },
        { id: 'd', lon: String(lon), lat: String(lat) },
        null,
      ];
      const res = await app.inject({ method: 'POST', url: '/v1/lookup/batch', payload: items });
      t.equal(res.statusCode, 200);
      const body = res.json();
      t.equal(body.count, 5);
      t.equal(body.okCount, 2);
      t.same(body.results.map((r: { i: number }) => r.i), [0, 1, 2, 3, 4]);
      t.equal(body.results[0].grid.code, lamp.gridCode);
      t.equal(body.results[1].error.code, 'WANMI_BAD_COORDINATES');
      t.equal(body.results[1].error.field, 'lon');
      t.equal(body.results[2].error.code, 'WANMI_OUTSIDE_AREA');
      t.equal(body.results[3].grid.code, lamp.gridCode);

      const csv = `id,lon,lat,kind,class\nk1,${lon},${lat},component,0118\nk2,${lon},${lat},event,0501\nk3,${lon},${lat},event,9999\nk4,${lon},${lat},blah,0501\n`;
      const own = await app.inject({ method: 'POST', url: '/v1/ownership/batch', payload: csv, headers: { 'content-type': 'text/csv' } });
      t.equal(own.statusCode, 200);
      const ob = own.json();
      t.equal(ob.results[0].component.id, lamp.id);
      t.ok(ob.results[1].responsible.length > 0);
      t.equal(ob.results[2].error.code, 'WANMI_UNKNOWN_CLASS');
      t.equal(ob.results[3].error.code, 'WANMI_BAD_PARAMETER');
      t.equal(ob.results[3].error.field, 'kind');

      const badCsv = await app.inject({ method: 'POST', url: '/v1/lookup/batch', payload: 'x,y\n1,2\n', headers: { 'content-type': 'text/csv' } });
      t.equal(badCsv.json().code, 'WANMI_BAD_BATCH');
      const big = await app.inject({ method: 'POST', url: '/v1/lookup/batch', payload: Array.from({ length: 100_001 }, () => ({ lon, lat })) });
      t.equal(big.statusCode, 413);
      t.equal(big.json().code, 'WANMI_BATCH_TOO_LARGE');
      const notJson = await app.inject({ method: 'POST', url: '/v1/lookup/batch', payload: '{oops', headers: { 'content-type': 'application/json' } });
      t.equal(notJson.statusCode, 400);
      t.equal(notJson.json().code, 'WANMI_BAD_REQUEST');
    });
  });
}
