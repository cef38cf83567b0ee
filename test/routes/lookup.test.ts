import t from 'tap';
import { testStores } from '../helpers/stores.js';
import { demoApp } from '../helpers/app.js';
import type { Grid, Position } from '../../src/domain/types.js';

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

  t.test('CORS headers on reads', async (t) => {
    const res = await app.inject({ url: '/health', headers: { origin: 'https://bigscreen.example' } });
    t.equal(res.headers['access-control-allow-origin'], 'https://bigscreen.example');
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
