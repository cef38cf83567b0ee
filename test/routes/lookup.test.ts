import t from 'tap';
import { testStores } from '../helpers/stores.js';
import { demoApp } from '../helpers/app.js';
import type { Grid, Position, Zone } from '../../src/domain/types.js';
import { lookupPoint } from '../../src/lookup/lookup.js';

/** An interior point of a grid: the centre of its first ring, nudged to a vertex average (grids are convex-ish quads). */
function interiorPoint(g: Grid): Position {
  const ring = g.geometry.type === 'Polygon' ? g.geometry.coordinates[0] : g.geometry.coordinates[0][0];
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

/** Two grids sharing an edge, with the midpoint of that edge. */
function sharedEdge(grids: Grid[]): { a: Grid; b: Grid; mid: Position } {
  const owner = new Map<string, Grid>();
  for (const g of grids) {
    const ring = g.geometry.type === 'Polygon' ? g.geometry.coordinates[0] : g.geometry.coordinates[0][0];
    for (let i = 0; i + 1 < ring.length; i++) {
      const [p, q] = [ring[i], ring[i + 1]];
      const key = (u: Position, v: Position) => `${u[0]},${u[1]}|${v[0]},${v[1]}`;
      const other = owner.get(key(q, p));
      // A north–south-ish edge (|dx| < |dy|) whose midpoint has a well-defined east side.
      if (other && other.code !== g.code && Math.abs(p[0] - q[0]) < Math.abs(p[1] - q[1])) {
        return { a: other, b: g, mid: [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2] };
      }
      owner.set(key(p, q), g);
    }
  }
  throw new Error('no shared edge found');
}

/** Interior points of grids and zones, shared-edge midpoints and vertices: the cases a lookup meets. */
function lookupSample(grids: Grid[], zones: Zone[]): Position[] {
  const points: Position[] = grids.filter((_, i) => i % 7 === 0).map(interiorPoint);
  for (const z of zones.slice(0, 20)) {
    const ring = z.geometry.type === 'Polygon' ? z.geometry.coordinates[0] : z.geometry.coordinates[0][0];
    points.push(ring[0], [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2]);
  }
  const { mid, a } = sharedEdge(grids);
  const ring = a.geometry.type === 'Polygon' ? a.geometry.coordinates[0] : a.geometry.coordinates[0][0];
  points.push(mid, ring[0], ring[1]);
  return points;
}

for (const factory of testStores()) {
  t.test(`lookup on ${factory.kind}`, async (t) => {
    const { app, city, close } = await demoApp(await factory.make());
    t.teardown(close);

    t.test('a point inside a grid gets the grid and its admin chain', async (t) => {
      const grid = city.grids[Math.floor(city.grids.length / 2)];
      const [lon, lat] = interiorPoint(grid);
      const res = await app.inject({ url: `/v1/lookup?lon=${lon}&lat=${lat}` });
      t.equal(res.statusCode, 200);
      const body = res.json();
      t.equal(body.grid.code, grid.code);
      t.equal(body.grid.name, grid.name);
      t.equal(body.community.code, grid.communityCode);
      t.equal(body.street.code, grid.communityCode.slice(0, 9));
      t.equal(body.district.code, grid.communityCode.slice(0, 6));
      t.equal(body.crs, 'EPSG:4490');
      t.type(body.dataVersion, 'number');
      const community = city.adminAreas.find((a) => a.code === grid.communityCode)!;
      t.equal(body.community.name, community.name);
    });

    t.test('a point on a shared edge resolves to the grid east of it, every time', async (t) => {
      const { a, b, mid } = sharedEdge(city.grids);
      const answers = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({ url: `/v1/lookup?lon=${mid[0]}&lat=${mid[1]}` });
        t.equal(res.statusCode, 200);
        answers.add(res.json().grid.code);
      }
      t.equal(answers.size, 1, 'the same answer on every call');
      const got = [...answers][0];
      t.ok(got === a.code || got === b.code, 'one of the two grids');
      const east = interiorPoint(a)[0] > interiorPoint(b)[0] ? a : b;
      t.equal(got, east.code, 'the eastern grid');
    });

    t.test('the JSON written per grid equals the core answer, zones included', async (t) => {
      const index = app.wanmi.index.current;
      const points = lookupSample(city.grids, city.zones);
      let inZones = 0;
      for (const [lon, lat] of points) {
        const res = await app.inject({ url: `/v1/lookup?lon=${lon}&lat=${lat}` });
        const core = lookupPoint(index, lon, lat);
        if (!core) {
          t.equal(res.statusCode, 404);
          continue;
        }
        if (core.zones.length) inZones++;
        t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
        t.same(res.json(), { ...core, crs: 'EPSG:4490', input: { lon, lat, crs: 'cgcs2000' } });
      }
      t.ok(inZones > 0, `some points lie in zones (${inZones})`);
    });

    t.test('batch results equal single lookups, in both formats', async (t) => {
      const points = lookupSample(city.grids, city.zones);
      const items: unknown[] = points.map(([lon, lat], i) => (i % 3 ? { id: `p${i}`, lon, lat } : { lon, lat }));
      items.push({ id: 'outside', lon: 116.39, lat: 39.9 }, { id: 'bad', lon: 'x', lat: 30 }, null);
      const full = (await app.inject({ method: 'POST', url: '/v1/lookup/batch', payload: items })).json();
      const compact = (await app.inject({ method: 'POST', url: '/v1/lookup/batch?format=compact', payload: items })).json();
      t.equal(full.count, items.length);
      t.equal(compact.count, items.length);
      t.equal(compact.okCount, full.okCount);
      t.equal(compact.format, 'compact');
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as { id?: string; lon: number; lat: number } | null;
        const r = full.results[i];
        t.equal(r.i, i);
        t.equal(r.id, item?.id);
        if (i >= points.length) {
          t.equal(r.ok, false);
          t.same(compact.results[i], r, 'errors are the same object in both formats');
          continue;
        }
        const single = await app.inject({ url: `/v1/lookup?lon=${item!.lon}&lat=${item!.lat}` });
        const { crs: _crs, input: _input, ...answer } = single.json();
        const { i: _i, id: _id, ok, ...batchAnswer } = r;
        t.equal(ok, true);
        t.same(batchAnswer, answer, `item ${i}`);
        const { lon: _lon, lat: _lat, dataVersion: _v, ...place } = answer;
        t.same(compact.places[compact.results[i]], place, `compact item ${i}`);
      }
      t.equal(full.results.at(-3).error.code, 'WANMI_OUTSIDE_AREA');
      const outside = await app.inject({ url: '/v1/lookup?lon=116.39&lat=39.9' });
      t.equal(full.results.at(-3).error.message, outside.json().message, 'the message of the single lookup, naming the point');
      t.equal(full.results.at(-2).error.field, 'lon');
    });

    t.test('batch bodies: broken or empty JSON is a 400; "__proto__" keys stay inert data', async (t) => {
      for (const payload of ['[{"lon":120.1', '']) {
        const res = await app.inject({ method: 'POST', url: '/v1/lookup/batch', headers: { 'content-type': 'application/json' }, payload });
        t.equal(res.statusCode, 400, JSON.stringify(payload));
        t.equal(res.json().code, 'WANMI_BAD_REQUEST');
      }
      const [lon, lat] = lookupSample(city.grids, city.zones)[0];
      const payload = `[{"__proto__":{"lon":${lon},"id":"polluted"},"lat":${lat}},{"constructor":{"prototype":{"ok":1}},"lon":${lon},"lat":${lat}}]`;
      const res = await app.inject({ method: 'POST', url: '/v1/ownership/batch', headers: { 'content-type': 'application/json' }, payload });
      const body = res.json();
      t.equal(res.statusCode, 200);
      t.equal(body.results[0].ok, false, 'lon inside "__proto__" is not the item\'s lon');
      t.equal(body.results[0].id, undefined);
      t.equal(body.results[1].error.field, 'kind', 'the second item is read normally');
      t.equal(({} as Record<string, unknown>).ok, undefined, 'no prototype was touched');
    });

    t.test('a full batch streamed in many pieces: every item whole, in order, Chinese ids intact', async (t) => {
      const points = lookupSample(city.grids, city.zones);
      const items: unknown[] = [];
      for (let i = 0; i < 7500; i++) {
        const [lon, lat] = points[i % points.length];
        items.push(i % 997 === 5 ? { id: `坏点${i}`, lon: 200, lat } : { id: i % 2 ? `井盖${i}` : i, lon, lat });
      }
      const res = await app.inject({ method: 'POST', url: '/v1/lookup/batch', payload: items });
      const full = res.json();
      const compact = (await app.inject({ method: 'POST', url: '/v1/lookup/batch?format=compact', payload: items })).json();
      t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      t.equal(full.results.length, items.length);
      let bad = 0;
      for (let i = 0; i < items.length; i++) {
        const r = full.results[i];
        const item = items[i] as { id: unknown; lon: number; lat: number };
        if (r.i !== i || r.id !== item.id) bad++;
        else if (!r.ok) bad += r.error.field === 'lon' && item.lon === 200 ? 0 : 1;
        else {
          const { i: _i, id: _id, ok: _ok, lon, lat, dataVersion, ...place } = r;
          if (lon !== item.lon || lat !== item.lat || dataVersion !== full.dataVersion) bad++;
          else if (JSON.stringify(place) !== JSON.stringify(compact.places[compact.results[i]])) bad++;
        }
      }
      t.equal(bad, 0, 'items differing from their input or from the compact answer');
      t.equal(full.errorCount, items.filter((x) => (x as { lon: number }).lon === 200).length);
    });

    t.test('GCJ-02 and BD-09 points: batch and single lookups agree', async (t) => {
      const [lon, lat] = interiorPoint(city.grids[3]);
      for (const crs of ['gcj02', 'bd09']) {
        const single = (await app.inject({ url: `/v1/lookup?lon=${lon}&lat=${lat}&crs=${crs}` })).json();
        const batch = (await app.inject({ method: 'POST', url: `/v1/lookup/batch?crs=${crs}`, payload: [{ lon, lat }] })).json();
        t.equal(batch.results[0].grid?.code, single.grid?.code, crs);
        t.equal(batch.results[0].lon, single.lon, crs);
      }
    });

    t.test('outside the managed area: 404 with a stable code', async (t) => {
      const res = await app.inject({ url: '/v1/lookup?lon=116.39&lat=39.9' });
      t.equal(res.statusCode, 404);
      t.equal(res.json().code, 'WANMI_OUTSIDE_AREA');
    });

    t.test('bad coordinates: 400 naming the field', async (t) => {
      const cases: Array<[string, string]> = [
        ['lon=abc&lat=30.2', 'lon'],
        ['lon=120.2&lat=95', 'lat'],
        ['lon=-181&lat=30', 'lon'],
        ['lat=30.2', 'lon'],
        ['lon=120.2&lat=', 'lat'],
      ];
      for (const [query, field] of cases) {
        const res = await app.inject({ url: `/v1/lookup?${query}` });
        t.equal(res.statusCode, 400, query);
        t.equal(res.json().code, 'WANMI_BAD_COORDINATES', query);
        t.equal(res.json().field, field, query);
      }
    });

    t.test('health reports the store, the data version and counts', async (t) => {
      const res = await app.inject({ url: '/health' });
      t.equal(res.statusCode, 200);
      const body = res.json();
      t.equal(body.ready, true);
      t.equal(body.store.kind, factory.kind);
      t.ok(body.dataVersion >= 1);
      t.equal(body.counts.grids, city.grids.length);
      t.equal(body.counts.components, city.components.length);
      t.equal(body.counts.communities, city.adminAreas.filter((a) => a.level === 'community').length);
    });
  });
}

t.test('HTTP conventions', async (t) => {
  const [factory] = testStores();
  const { app, close } = await demoApp(await factory.make());
  t.teardown(close);

  t.test('unknown route: 404 WANMI_ROUTE_NOT_FOUND', async (t) => {
    const res = await app.inject({ url: '/v1/nope' });
    t.equal(res.statusCode, 404);
    t.equal(res.json().code, 'WANMI_ROUTE_NOT_FOUND');
  });

  t.test('CORS headers on reads: `*` is sent as such, with nothing to vary a cache by', async (t) => {
    const res = await app.inject({ url: '/health', headers: { origin: 'https://bigscreen.example' } });
    t.equal(res.headers['access-control-allow-origin'], '*');
    t.notOk(String(res.headers.vary ?? '').includes('Origin'), 'no Vary: Origin');
    const tile = await app.inject({ url: '/tiles/grids', headers: { origin: 'https://bigscreen.example' } });
    t.equal(tile.headers['access-control-allow-origin'], '*');
    const preflight = await app.inject({
      method: 'OPTIONS', url: '/v1/imports',
      headers: { origin: 'https://surveyor.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key' },
    });
    t.equal(preflight.statusCode, 204);
    t.match(preflight.headers['access-control-allow-methods'], /POST/);
    t.match(preflight.headers['access-control-allow-headers'], /x-api-key/i, 'a browser may send the API key header');
  });

  t.test('CORS with a list of origins: a listed origin is echoed and the answer varies by it; others get none', async (t) => {
    const listed = await demoApp(await factory.make(), 0.05, { corsOrigin: 'https://bigscreen.example, https://web.example' });
    t.teardown(listed.close);
    const ok = await listed.app.inject({ url: '/health', headers: { origin: 'https://web.example' } });
    t.equal(ok.headers['access-control-allow-origin'], 'https://web.example');
    t.match(ok.headers.vary, /Origin/);
    const other = await listed.app.inject({ url: '/health', headers: { origin: 'https://elsewhere.example' } });
    t.equal(other.headers['access-control-allow-origin'], undefined);
    const off = await demoApp(await factory.make(), 0.05, { corsOrigin: 'off' });
    t.teardown(off.close);
    const none = await off.app.inject({ url: '/health', headers: { origin: 'https://web.example' } });
    t.equal(none.statusCode, 200);
    t.equal(none.headers['access-control-allow-origin'], undefined);
  });

  t.test('one OpenAPI 3 document describes every route, with Swagger UI', async (t) => {
    const res = await app.inject({ url: '/openapi.json' });
    t.equal(res.statusCode, 200);
    const doc = res.json();
    t.match(doc.openapi, /^3\./);
    t.ok(doc.paths['/v1/lookup'].get.responses['200']);
    t.ok(doc.paths['/v1/lookup'].get.responses['400']);
    t.ok(doc.paths['/health']);
    const ui = await app.inject({ url: '/docs/' });
    t.equal(ui.statusCode, 200);
    t.match(ui.headers['content-type'], /html/);
  });
});
