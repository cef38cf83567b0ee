/**
 * Lookup benchmark: Wanmi's core and HTTP service against peers measured in the same run.
 *
 *   npx tsx bench/lookup.ts [--pg=postgresql://…] [--no-pg] [--no-wait] [--scale=4.58 --components=1000000]
 *
 * 1. City: the seeded demo city at scale 4.58 (~25,000 grids), topped up with seeded point components
 *    to 1,000,000. Query points: uniform in the city's bbox, from a fixed seed.
 * 2. Point → grid: Wanmi's PolygonIndex vs which-polygon (same polygons, same points) and vs PostGIS
 *    ST_Contains, one prepared query per point over a GiST index; answers compared.
 * 3. Nearest 5 components: Wanmi's ComponentIndex vs geokdbush; Wanmi checked against brute force.
 * 4. Ownership resolutions (resolveOwnership), component and event reports half and half.
 * 5. HTTP (child processes, loopback): POST /v1/lookup/batch with 100,000 points, full and compact
 *    answers; GET /v1/lookup under autocannon vs Fastify's hello-world, interleaved.
 * Build and query are timed apart; a throughput is the median of 3 rounds after a warm-up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import whichPolygon from 'which-polygon';
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { TerritoryIndex } from '../src/index/territory.js';
import { ComponentIndex } from '../src/index/component-index.js';
import { ZoneIndex } from '../src/index/zone-index.js';
import { metresPerDegree } from '../src/index/flat-geometry.js';
import { resolveOwnership, type OwnershipContext, type OwnershipRequest } from '../src/ownership/resolve.js';
import { loadResponsibilityList, TERRITORIAL_ONLY } from '../src/ownership/responsibility-list.js';
import { openStore } from '../src/store/connect.js';
import { writeCity } from '../src/store/city-writer.js';
import { createRng } from '../src/demo/prng.js';
import { buildBenchCity, queryPoints, type BenchCity } from './lib/city.js';
import { BruteNearest } from './lib/brute-nearest.js';
import { postgisPointQueries } from './lib/postgis.js';
import { startServer, cannon, timeBatch, type ChildServer } from './lib/http.js';
import { throughput, measureBuild, memoryLine, median } from './lib/measure.js';
import { args, pgUrl, SCALE, COMPONENTS } from './lib/options.js';
import { benchPreamble, loadAvg, cpuTimes, stealShare } from './lib/machine.js';
import { printTable, rate, ms, type Row } from './lib/report.js';

const SEED = 20261115;
const GRID_QUERIES = 500_000;
const PG_QUERIES = 20_000;
const NEAREST_QUERIES = 50_000;
const NEAREST_UNIFORM = 20_000;
const BRUTE_QUERIES = 200;
const OWNERSHIP_QUERIES = 100_000;
const BATCH_POINTS = 100_000;
const CANNON = { connections: 10, seconds: 5, rounds: 2, paths: 500 };

const rows: Row[] = [];
const log = (s = '') => console.log(s);

async function main(): Promise<void> {
  await benchPreamble('Wanmi lookup benchmark', args, log);

  const started = cpuTimes();
  const bench = buildBenchCity(SCALE, COMPONENTS, SEED);
  const { city } = bench;
  log(`\nCity: demo scale ${SCALE} (seed ${SEED}): ${city.grids.length} grids, ${city.adminAreas.length} admin areas, `
    + `${bench.generated} generated components + ${bench.added} seeded extra points in grids = ${city.components.length}`);
  log(`  generated in ${ms(bench.generateMs)}, top-up ${ms(bench.topUpMs)}; bbox ${bench.bbox.map((x) => x.toFixed(4)).join(', ')}`);

  const grid = gridLookups(bench);
  const territory = grid.territory;
  await postgisLookups(bench, grid);
  const components = nearest(bench, territory);
  ownership(bench, territory, components);
  log(`\nMemory after indexing: ${memoryLine()}`);
  await http(bench, territory);

  log('\nResults');
  printTable(rows);
  log(`\nload at end: ${loadAvg()}; CPU time stolen by the hypervisor during the run: ${stealShare(started, cpuTimes())}`);
}

/** Point → grid: Wanmi vs which-polygon on the same polygons and points. */
function gridLookups(bench: BenchCity): GridRun {
  const { city } = bench;
  const built = measureBuild(() => new TerritoryIndex(city.adminAreas, city.grids));
  const territory = built.value;
  const fc = {
    type: 'FeatureCollection' as const,
    features: city.grids.map((g) => ({ type: 'Feature' as const, properties: { code: g.code }, geometry: g.geometry })),
  };
  const wpBuilt = measureBuild(() => whichPolygon(fc));
  const wp = wpBuilt.value;
  log(`\nPoint → grid (${GRID_QUERIES.toLocaleString('en-US')} seeded points uniform in the bbox)`);
  log(`  build: Wanmi TerritoryIndex ${ms(built.ms)}, +${built.retainedMB.toFixed(1)} MiB; which-polygon ${ms(wpBuilt.ms)}, +${wpBuilt.retainedMB.toFixed(1)} MiB`);

  const pts = queryPoints(GRID_QUERIES, bench.bbox, SEED + 1);
  const n = GRID_QUERIES;
  const grids = territory.grids;
  const wanmi = throughput(n, () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += grids.containing(pts[2 * i], pts[2 * i + 1]);
    return s;
  });
  const locate = throughput(n, () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += territory.locate(pts[2 * i], pts[2 * i + 1])?.grid ? 1 : 0;
    return s;
  });
  const peer = throughput(n, () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += wp([pts[2 * i], pts[2 * i + 1]]) ? 1 : 0;
    return s;
  });
  let inGrid = 0;
  let disagree = 0;
  for (let i = 0; i < n; i++) {
    const g = grids.containing(pts[2 * i], pts[2 * i + 1]);
    const mine = g >= 0 ? territory.gridRefs[g].code : null;
    const theirs = wp([pts[2 * i], pts[2 * i + 1]])?.code ?? null;
    if (mine !== null) inGrid++;
    if (mine !== theirs) disagree++;
  }
  log(`  ${inGrid} points (${((100 * inGrid) / n).toFixed(1)} %) fall in a grid; which-polygon disagrees with Wanmi on ${disagree}`);
  log(`  rounds (ms): Wanmi ${fmtRounds(wanmi.roundsMs)}; locate ${fmtRounds(locate.roundsMs)}; which-polygon ${fmtRounds(peer.roundsMs)}`);
  rows.push({ metric: 'point→grid lookups (PolygonIndex)', wanmi: rate(wanmi.opsPerSec), peer: `which-polygon ${rate(peer.opsPerSec)}`, ratio: wanmi.opsPerSec / peer.opsPerSec, target: '≥ 3×', met: wanmi.opsPerSec >= 3 * peer.opsPerSec });
  rows.push({ metric: 'point→territory (TerritoryIndex.locate)', wanmi: rate(locate.opsPerSec), peer: `which-polygon ${rate(peer.opsPerSec)}`, ratio: locate.opsPerSec / peer.opsPerSec });
  return { territory, rate: wanmi.opsPerSec, points: pts };
}

/** What the PostGIS comparison reuses: Wanmi's index, its rate and the query points. */
interface GridRun {
  territory: TerritoryIndex;
  rate: number;
  points: Float64Array;
}

/** Point → grid: PostGIS, one prepared ST_Contains per point; answers compared with Wanmi's. */
async function postgisLookups(bench: BenchCity, { territory, rate: gridRate, points }: GridRun): Promise<void> {
  if (args.includes('--no-pg')) return void log('\nPostGIS: skipped (--no-pg)');
  const pts = points.subarray(0, 2 * PG_QUERIES);
  const run = await postgisPointQueries(pgUrl, bench.city.grids, pts);
  let one = 0;
  let none = 0;
  let disagree = 0;
  let noneButWanmi = 0;
  for (let i = 0; i < run.queries; i++) {
    const g = territory.gridAt(pts[2 * i], pts[2 * i + 1]);
    const mine = g >= 0 ? territory.gridRefs[g].code : null;
    if (run.codes[i] === null) {
      none++;
      if (mine !== null) noneButWanmi++;
    } else {
      one++;
      if (run.codes[i] !== mine) disagree++;
    }
  }
  log(`\nPostGIS ST_Contains (${run.queries.toLocaleString('en-US')} prepared queries over one connection, GiST index; loaded in ${ms(run.loadMs)})`);
  log(`  PostGIS found a grid for ${one} points, Wanmi disagrees on ${disagree}; PostGIS found none for ${none} (Wanmi found a grid for ${noneButWanmi} of them)`);
  rows.push({ metric: 'point→grid vs PostGIS per point', wanmi: rate(gridRate), peer: `ST_Contains ${rate(run.queriesPerSec)}`, ratio: gridRate / run.queriesPerSec, target: '≥ 200×', met: gridRate >= 200 * run.queriesPerSec });
}

/**
 * Nearest 5 components: Wanmi vs geokdbush on points inside grids (where reports come from) and on
 * points uniform in the bbox (river, outskirts: far from any component); Wanmi vs brute force on both.
 */
function nearest(bench: BenchCity, territory: TerritoryIndex): ComponentIndex {
  const { city } = bench;
  const built = measureBuild(() => new ComponentIndex(city.components));
  const ci = built.value;
  const kdBuilt = measureBuild(() => {
    const kd = new KDBush(ci.size);
    for (let i = 0; i < ci.size; i++) kd.add(...ci.anchor(i));
    kd.finish();
    return kd;
  });
  const kd = kdBuilt.value;
  log(`\nNearest 5 components (${ci.size.toLocaleString('en-US')} components; geokdbush indexes each one's first vertex)`);
  log(`  build: Wanmi ComponentIndex ${ms(built.ms)}, +${built.retainedMB.toFixed(1)} MiB; kdbush ${ms(kdBuilt.ms)}, +${kdBuilt.retainedMB.toFixed(1)} MiB`);

  const compare = (label: string, pts: Float64Array, n: number, opts: { rounds?: number; warmup?: boolean }) => {
    const wanmi = throughput(n, () => {
      let s = 0;
      for (let i = 0; i < n; i++) s += ci.nearest(pts[2 * i], pts[2 * i + 1], 5)[0].index;
      return s;
    }, opts);
    const peer = throughput(n, () => {
      let s = 0;
      for (let i = 0; i < n; i++) s += around(kd, pts[2 * i], pts[2 * i + 1], 5)[0];
      return s;
    }, opts);
    log(`  ${label}: ${n.toLocaleString('en-US')} queries, rounds (ms): Wanmi ${fmtRounds(wanmi.roundsMs)}; geokdbush ${fmtRounds(peer.roundsMs)}`);
    return { wanmi: wanmi.opsPerSec, peer: peer.opsPerSec };
  };
  const inGrid = queryPoints(NEAREST_QUERIES, bench.bbox, SEED + 2, (lon, lat) => territory.gridAt(lon, lat) >= 0);
  const uniform = queryPoints(NEAREST_UNIFORM, bench.bbox, SEED + 6);
  const a = compare('points in grids', inGrid, NEAREST_QUERIES, {});
  const b = compare('points uniform in the bbox', uniform, NEAREST_UNIFORM, {});
  log(`  where the uniform queries' time goes (first 500), by the distance of the 5th hit:`);
  log(`    ${nearestProfile(ci, uniform, 500)}`);

  const brute = new BruteNearest(city.components);
  let mismatches = 0;
  let tiePermutations = 0;
  let t = performance.now();
  for (const pts of [uniform, inGrid]) {
    for (let i = 0; i < BRUTE_QUERIES / 2; i++) {
      const hits = ci.nearest(pts[2 * i], pts[2 * i + 1], 5);
      const ref = brute.nearest(pts[2 * i], pts[2 * i + 1], 5);
      if (hits.map((h) => ci.ref(h.index).id).join() === ref.ids.join()) continue;
      const sameDistances = hits.length === ref.distances.length && hits.every((h, j) => Math.abs(h.distance - ref.distances[j]) < 1e-6);
      if (sameDistances) tiePermutations++;
      else mismatches++;
    }
  }
  log(`  brute force over all components, ${BRUTE_QUERIES} queries (half uniform, half in grids; ${ms(performance.now() - t)}): ${mismatches} mismatches, ${tiePermutations} tie permutations`);

  const isPoint = new Uint8Array(ci.size);
  for (const c of city.components) if (c.geometry.type === 'Point') isPoint[ci.indexOf(c.id)] = 1;
  const sample = 10_000;
  let same = 0;
  let allPoints = 0;
  let samePoints = 0;
  for (let i = 0; i < sample; i++) {
    const mine = ci.nearest(inGrid[2 * i], inGrid[2 * i + 1], 5).map((h) => h.index).sort((x, y) => x - y);
    const theirs = around(kd, inGrid[2 * i], inGrid[2 * i + 1], 5).sort((x, y) => x - y);
    const equal = mine.join() === theirs.join();
    if (equal) same++;
    if (mine.every((j) => isPoint[j] === 1)) {
      allPoints++;
      if (equal) samePoints++;
    }
  }
  log(`  geokdbush (haversine, first vertices) returns the same 5 as Wanmi for ${same}/${sample} in-grid queries; `
    + `${samePoints}/${allPoints} where Wanmi's 5 are all points (the rest differ on near-ties: sphere vs Wanmi's ellipsoidal local plane)`);
  rows.push({ metric: 'nearest-5 components, uniform in bbox', wanmi: rate(b.wanmi), peer: `geokdbush ${rate(b.peer)}`, ratio: b.wanmi / b.peer, target: '≥ 2×', met: b.wanmi >= 2 * b.peer });
  rows.push({ metric: 'nearest-5 components, points in grids', wanmi: rate(a.wanmi), peer: `geokdbush ${rate(a.peer)}`, ratio: a.wanmi / a.peer, target: '(≥ 2×)', met: a.wanmi >= 2 * a.peer });
  rows.push({ metric: 'nearest-5 mismatches vs brute force', wanmi: `${mismatches} / ${BRUTE_QUERIES}`, peer: '—', target: '0', met: mismatches === 0 });
  return ci;
}

/** Query time and count by the distance of the 5th nearest hit. */
function nearestProfile(ci: ComponentIndex, pts: Float64Array, n: number): string {
  const edges = [50, 200, 800, 3200, 12800, Infinity];
  const count = edges.map(() => 0);
  const time = edges.map(() => 0);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const hits = ci.nearest(pts[2 * i], pts[2 * i + 1], 5);
    const dt = performance.now() - t;
    const b = edges.findIndex((e) => hits[hits.length - 1].distance <= e);
    count[b]++;
    time[b] += dt;
  }
  const total = time.reduce((x, y) => x + y, 0);
  return edges.map((e, b) => `≤${e === Infinity ? '∞' : e} m: ${count[b]} q, ${((1000 * time[b]) / Math.max(count[b], 1)).toFixed(1)} µs/q, ${((100 * time[b]) / total).toFixed(0)} % of time`).join('; ');
}

/** resolveOwnership: component reports near a real component, and event reports at in-grid points. */
function ownership(bench: BenchCity, territory: TerritoryIndex, components: ComponentIndex): void {
  const { city, classes } = bench;
  const units = new Map(city.units.map((u) => [u.code, u]));
  const list = loadResponsibilityList(city.responsibility ?? TERRITORIAL_ONLY, (code) => units.has(code));
  const ctx: OwnershipContext = { territory, components, zones: new ZoneIndex(city.zones), units, list };
  const rng = createRng(SEED + 3);
  const eventClasses = classes.filter((c) => c.category === 'event').map((c) => c.typeCode);
  const inGrid = queryPoints(OWNERSHIP_QUERIES, bench.bbox, SEED + 4, (lon, lat) => territory.gridAt(lon, lat) >= 0);
  const requests: OwnershipRequest[] = [];
  for (let i = 0; i < OWNERSHIP_QUERIES; i++) {
    if (i % 2 === 0) {
      // A report a couple of metres from a real component, naming its class.
      const c = city.components[rng.int(0, city.components.length - 1)];
      const i0 = components.indexOf(c.id);
      const [lon, lat] = components.anchor(i0);
      const { kx, ky } = metresPerDegree(lat);
      requests.push({ kind: 'component', typeCode: c.major + c.minor, lon: lon + rng.range(-2, 2) / kx, lat: lat + rng.range(-2, 2) / ky });
    } else {
      requests.push({ kind: 'event', typeCode: rng.pick(eventClasses), lon: inGrid[2 * i], lat: inGrid[2 * i + 1] });
    }
  }
  let identified = 0;
  for (const r of requests) if (r.kind === 'component' && resolveOwnership(ctx, r).component) identified++;
  const run = throughput(requests.length, () => {
    let s = 0;
    for (const r of requests) s += resolveOwnership(ctx, r).responsible.length;
    return s;
  });
  log(`\nOwnership (${requests.length.toLocaleString('en-US')} requests: half component reports within 2 m of a component, ${identified} identified; half events at in-grid points)`);
  log(`  rounds (ms): ${fmtRounds(run.roundsMs)}`);
  rows.push({ metric: 'ownership resolutions', wanmi: rate(run.opsPerSec), peer: '—' });
}

/** The HTTP service in a child process over a GeoPackage, against Fastify's hello-world. */
async function http(bench: BenchCity, territory: TerritoryIndex): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-bench-'));
  const servers: ChildServer[] = [];
  try {
    const file = path.join(dir, 'bench.gpkg');
    const store = await openStore({ kind: 'geopackage', file });
    const t = performance.now();
    // The lookup routes read grids, admin areas and zones only; components and addresses are left out
    // because writing 1M components to a GeoPackage alone takes over two minutes here.
    await writeCity(store.db, { ...bench.city, components: [], addresses: [] }, bench.classes);
    await store.close();
    const writeMs = performance.now() - t;
    const wanmi = await startServer('serve-wanmi.ts', [file]);
    servers.push(wanmi);
    const hello = await startServer('serve-hello.ts');
    servers.push(hello);
    log(`\nHTTP (child processes on 127.0.0.1; Wanmi over a GeoPackage of the same ${bench.city.grids.length} grids, admin areas and zones,`);
    log(`  without components and addresses, which the lookup routes never read; written in ${ms(writeMs)}, index built in ${ms(wanmi.info.indexMs as number)})`);

    const pts = queryPoints(BATCH_POINTS, bench.bbox, SEED + 5, (lon, lat) => territory.gridAt(lon, lat) >= 0);
    const items = Array.from({ length: BATCH_POINTS }, (_, i) => ({ lon: pts[2 * i], lat: pts[2 * i + 1] }));
    const body = JSON.stringify(items);
    // The default (full) answers, then the compact form of the same answers; both end to end, from
    // sending the request to the last byte of the response.
    for (const [format, query] of [['full', ''], ['compact', '?format=compact']] as const) {
      const batch = await timeBatch(`http://127.0.0.1:${wanmi.port}/v1/lookup/batch${query}`, body, 5);
      const batchRate = BATCH_POINTS / (median(batch.ms) / 1000);
      log(`  batch (${format}): ${BATCH_POINTS.toLocaleString('en-US')} in-grid points, request ${(body.length / 2 ** 20).toFixed(1)} MiB, response ${(batch.bytes / 2 ** 20).toFixed(1)} MiB, `
        + `${batch.okCount}/${batch.count} ok; rounds (ms) ${fmtRounds(batch.ms)}`);
      rows.push({ metric: `batch lookup over HTTP (JSON ${format}, end to end)`, wanmi: rate(batchRate, ' points/s'), peer: '—', target: '≥ 500 k points/s', met: batchRate >= 500_000 });
    }

    const paths = Array.from({ length: CANNON.paths }, (_, i) => `/v1/lookup?lon=${pts[2 * i]}&lat=${pts[2 * i + 1]}`);
    const job = (port: number, p: string[], seconds: number) => ({ url: `http://127.0.0.1:${port}`, paths: p, connections: CANNON.connections, seconds });
    await cannon(job(hello.port, ['/'], 1));
    await cannon(job(wanmi.port, paths, 1));
    const totals = { hello: { n: 0, s: 0, cpuMs: 0 }, wanmi: { n: 0, s: 0, cpuMs: 0 } };
    const details: string[] = [];
    for (let r = 0; r < CANNON.rounds; r++) {
      for (const [name, server, p] of [['hello', hello, ['/']], ['wanmi', wanmi, paths]] as const) {
        const cpuBefore = server.cpuMs();
        const res = await cannon(job(server.port, [...p], CANNON.seconds));
        const cpuAfter = server.cpuMs();
        if (res.non2xx || res.errors) throw new Error(`${name}: ${res.non2xx} non-2xx answers, ${res.errors} errors`);
        totals[name].n += res.total;
        totals[name].s += res.seconds;
        totals[name].cpuMs += cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : NaN;
        details.push(`${name} ${rate(res.reqPerSec)} (p50 ${res.latencyP50} ms, p99 ${res.latencyP99} ms)`);
      }
    }
    const helloRate = totals.hello.n / totals.hello.s;
    const wanmiRate = totals.wanmi.n / totals.wanmi.s;
    log(`  autocannon, ${CANNON.connections} connections, ${CANNON.rounds}×${CANNON.seconds} s each, interleaved; Wanmi cycles ${CANNON.paths} in-grid points: ${details.join('; ')}`);
    rows.push({ metric: 'single GET /v1/lookup req/s', wanmi: rate(wanmiRate, ' req/s'), peer: `hello-world ${rate(helloRate, ' req/s')}`, ratio: wanmiRate / helloRate, target: '≥ 0.8×', met: wanmiRate >= 0.8 * helloRate });
    // The same runs seen from the servers: what a request costs the server's CPU, apart from the client's.
    const helloUs = (1000 * totals.hello.cpuMs) / totals.hello.n;
    const wanmiUs = (1000 * totals.wanmi.cpuMs) / totals.wanmi.n;
    if (Number.isFinite(helloUs) && Number.isFinite(wanmiUs)) {
      rows.push({ metric: 'single GET /v1/lookup, server CPU per request', wanmi: `${wanmiUs.toFixed(1)} µs`, peer: `hello-world ${helloUs.toFixed(1)} µs`, ratio: helloUs / wanmiUs });
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fmtRounds(xs: readonly number[]): string {
  return xs.map((x) => Math.round(x)).join(' / ');
}

await main();
