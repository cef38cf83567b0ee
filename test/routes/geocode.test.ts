import t from 'tap';
import { testStores } from '../helpers/stores.js';
import { demoApp } from '../helpers/app.js';
import { toCgcs2000 } from '../../src/crs/index.js';
import { metresPerDegree } from '../../src/index/flat-geometry.js';

/** Metres between two CGCS2000 points (local plane; exact enough inside a city). */
function metres([x1, y1]: number[], [x2, y2]: number[]): number {
  const { kx, ky } = metresPerDegree(y1);
  return Math.hypot((x2 - x1) * kx, (y2 - y1) * ky);
}

for (const factory of testStores()) {
  t.test(`geocoding routes on ${factory.kind}`, async (t) => {
    const { app, city, close } = await demoApp(await factory.make());
    t.teardown(close);
    const address = city.addresses.find((a) => a.number! > 20)!;
    const text = `杭州市上城区${address.roadName}${address.houseNumber}`;
    const get = (url: string) => app.inject({ url: encodeURI(url) });

    t.test('forward: a house number from the store, as GeoJSON echoing the query', async (t) => {
      const res = await get(`/v1/geocode?address=${text}`);
      t.equal(res.statusCode, 200);
      t.match(res.headers['content-type'], /json/);
      const body = res.json();
      t.equal(body.type, 'FeatureCollection');
      t.equal(body.crs, 'EPSG:4490');
      t.equal(body.geocoding.query.cleaned, text);
      t.equal(body.geocoding.query.parsed.road, address.roadName);
      t.equal(body.geocoding.query.parsed.houseNumber, address.houseNumber);
      const f = body.features[0];
      t.same(f.geometry.coordinates, address.geometry.coordinates);
      t.equal(f.properties.level, '门牌');
      t.equal(f.properties.levelRank, 8);
      t.equal(f.properties.confidence, 1);
      t.equal(f.properties.matched.id, address.id);
      t.equal(f.properties.community.code, address.communityCode);
      t.match(f.properties.grid.code, /^330102\d{9}$/);
      t.match(f.properties.label, new RegExp(`^浙江省杭州市上城区.+街道${address.roadName}${address.houseNumber}$`));
    });

    t.test('forward: GCJ-02 and BD-09 output for AMap/Baidu clients', async (t) => {
      const plain = (await get(`/v1/geocode?address=${text}`)).json().features[0].geometry.coordinates;
      for (const crs of ['gcj02', 'bd09'] as const) {
        const body = (await get(`/v1/geocode?address=${text}&crs=${crs}`)).json();
        t.equal(body.crs, crs === 'gcj02' ? 'GCJ-02' : 'BD-09');
        const back = toCgcs2000(body.features[0].geometry.coordinates[0], body.features[0].geometry.coordinates[1], crs);
        t.ok(metres(back, plain) < 0.5, `${crs} converts back within 0.5 m`);
        t.ok(metres(body.features[0].geometry.coordinates, plain) > 100, `${crs} differs from CGCS2000 by the published offset`);
      }
    });

    t.test('forward: structured and autocomplete', async (t) => {
      const s = (await get(`/v1/geocode/structured?district=上城区&road=${address.roadName}&number=${address.number}`)).json();
      t.equal(s.features[0].properties.matched.id, address.id);
      const a = (await get(`/v1/autocomplete?text=上城区${address.roadName.slice(0, 2)}`)).json();
      t.ok(a.features.length >= 1);
      t.ok(a.features.some((f: { properties: { label: string } }) => f.properties.label.includes(address.roadName)), 'the road is among the completions');
      const plates = (await get(`/v1/autocomplete?text=${address.roadName}${String(address.number).slice(0, 1)}`)).json();
      t.ok(plates.features.every((f: { properties: { level: string } }) => f.properties.level === '门牌'), 'a number after a road completes to house numbers');
    });

    t.test('bad input: stable 4xx codes or an empty result with a reason, never a 5xx', async (t) => {
      const empty = await get('/v1/geocode?address=');
      t.equal(empty.statusCode, 400);
      t.equal(empty.json().code, 'WANMI_BAD_PARAMETER');
      t.equal(empty.json().field, 'address');
      t.equal((await get('/v1/geocode')).json().field, 'address');
      const long = await app.inject({ url: `/v1/geocode?address=${encodeURIComponent('望'.repeat(10_000))}` });
      t.equal(long.statusCode, 400);
      t.equal(long.json().field, 'address');
      t.equal((await get(`/v1/geocode?address=${text}&crs=epsg3857`)).json().code, 'WANMI_BAD_PARAMETER');
      for (const q of ['😀😀', "' OR 1=1 --", '<img src=x onerror=alert(1)>', '火星基地']) {
        const res = await app.inject({ url: `/v1/geocode?address=${encodeURIComponent(q)}` });
        t.equal(res.statusCode, 200, q);
        t.same(res.json().features, [], q);
        t.ok(res.json().geocoding.reason, `a reason for ${q}`);
      }
      t.equal((await get('/v1/geocode/structured?building=3幢')).json().code, 'WANMI_BAD_PARAMETER');
    });

    t.test('batch: JSON and CSV, in order, per-item errors, a size limit', async (t) => {
      const res = await app.inject({ method: 'POST', url: '/v1/geocode/batch', payload: [text, { id: 'b', address: '' }, { id: 'c', address: '😀' }, text.replace('杭州市', '')] });
      t.equal(res.statusCode, 200);
      const body = res.json();
      t.equal(body.count, 4);
      t.equal(body.results[0].features[0].properties.matched.id, address.id);
      t.equal(body.results[1].error.code, 'WANMI_BAD_PARAMETER');
      t.equal(body.results[1].id, 'b');
      t.equal(body.results[2].reason, 'no_address_text');
      t.equal(body.results[3].features[0].properties.matched.id, address.id);
      const csv = await app.inject({ method: 'POST', url: '/v1/geocode/batch', headers: { 'content-type': 'text/csv' }, payload: `id,address\nx1,${text}\nx2,${address.roadName}\n` });
      t.equal(csv.json().results[0].id, 'x1');
      t.equal(csv.json().results[1].features[0].properties.level, '道路');
      const bad = await app.inject({ method: 'POST', url: '/v1/geocode/batch', headers: { 'content-type': 'text/csv' }, payload: 'name\nfoo\n' });
      t.equal(bad.statusCode, 400);
      t.equal(bad.json().code, 'WANMI_BAD_BATCH');
      const big = await app.inject({ method: 'POST', url: '/v1/geocode/batch', payload: new Array(10_001).fill(text) });
      t.equal(big.statusCode, 413);
      t.equal(big.json().code, 'WANMI_BATCH_TOO_LARGE');
    });

    t.test('reverse: territory, nearest house number with 方位, road, place, responsible units', async (t) => {
      const [lon, lat] = address.geometry.coordinates;
      const { ky } = metresPerDegree(lat);
      const north = lat + 12 / ky;
      const res = await get(`/v1/reverse?lon=${lon}&lat=${north}&radius=100`);
      t.equal(res.statusCode, 200);
      const body = res.json();
      t.equal(body.crs, 'EPSG:4490');
      t.match(body.grid.code, /^330102/);
      t.ok(body.address, 'a house number within 100 m');
      t.ok(body.address.distanceM <= 12.5, 'the nearest house number is no farther than the one 12 m south');
      if (body.address.id === address.id) {
        t.equal(body.address.direction, '北');
        t.match(body.formatted, new RegExp(`${address.roadName}${address.houseNumber}北方向12米$`));
      }
      t.ok(body.road, 'a road nearby');
      t.ok(body.responsible.length >= 2, 'street office and community from the ownership engine');
      t.ok(body.responsible.some((r: { role: string }) => r.role === 'district'));
      const withClass = (await get(`/v1/reverse?lon=${lon}&lat=${lat}&class=0101`)).json();
      t.ok(withClass.responsible.length >= 1, 'an event class gives the full event answer');
    });

    t.test('reverse: GCJ-02 in, GCJ-02 out; outside the city is a 404; bad coordinates a 400', async (t) => {
      const [lon, lat] = address.geometry.coordinates;
      const plain = (await get(`/v1/reverse?lon=${lon}&lat=${lat}`)).json();
      const { fromCgcs2000 } = await import('../../src/crs/index.js');
      const [glon, glat] = fromCgcs2000(lon, lat, 'gcj02');
      const gcj = (await get(`/v1/reverse?lon=${glon}&lat=${glat}&crs=gcj02`)).json();
      t.equal(gcj.crs, 'GCJ-02');
      t.equal(gcj.address.id, plain.address.id);
      t.ok(Math.abs(gcj.address.lon - glon) < 1e-5 && Math.abs(gcj.address.lat - glat) < 1e-5, 'the house number comes back in GCJ-02');
      const outside = await get('/v1/reverse?lon=100&lat=40');
      t.equal(outside.statusCode, 404);
      t.equal(outside.json().code, 'WANMI_OUTSIDE_AREA');
      const bad = await get('/v1/reverse?lon=200&lat=30');
      t.equal(bad.statusCode, 400);
      t.equal(bad.json().code, 'WANMI_BAD_COORDINATES');
    });

    t.test('reverse batch: in order with per-item errors', async (t) => {
      const [lon, lat] = address.geometry.coordinates;
      const res = await app.inject({ method: 'POST', url: '/v1/reverse/batch', payload: [{ id: 'a', lon, lat }, { lon: 100, lat: 40 }, { lon: 'x', lat: 1 }, [lon, lat]] });
      const body = res.json();
      t.equal(body.count, 4);
      t.equal(body.results[0].result.address.id, address.id);
      t.equal(body.results[1].error.code, 'WANMI_OUTSIDE_AREA');
      t.equal(body.results[2].error.code, 'WANMI_BAD_COORDINATES');
      t.equal(body.results[3].result.address.id, address.id);
      const csv = await app.inject({ method: 'POST', url: '/v1/reverse/batch', headers: { 'content-type': 'text/csv' }, payload: `id,lon,lat\nq,${lon},${lat}\n` });
      t.equal(csv.json().results[0].result.address.id, address.id);
    });

    t.test('every geocoding route is in the OpenAPI document', async (t) => {
      const doc = (await get('/openapi.json')).json();
      for (const p of ['/v1/geocode', '/v1/geocode/structured', '/v1/autocomplete', '/v1/geocode/batch', '/v1/reverse', '/v1/reverse/batch']) t.ok(doc.paths[p], p);
    });
  });
}
