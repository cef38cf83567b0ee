/**
 * Tile benchmark: Wanmi's tile sources against PostGIS ST_AsMVT on the same rows and the same tiles,
 * and cached tiles over HTTP against Fastify's hello-world.
 *
 *   npx tsx bench/tiles.ts [--pg=postgresql://…] [--no-pg] [--no-cold] [--no-http] [--no-wait] [--scale=4.58 --components=1000000]
 *
 * 1. City: the lookup benchmark's seeded city (demo scale 4.58, ~25,000 grids, topped up to 1,000,000
 *    components). Memory: what building the components and grids sources retains, against the raw
 *    coordinate arrays (16 bytes per vertex: lon/lat as Float64).
 * 2. Tiles: up to 100 distinct tiles per zoom z12–z18 where the data is (seeded draws of a component);
 *    the same tiles for both sources and both engines. A warm-up on other tiles first, then each tile
 *    cut once, cold (no tile cache): median, p99, bytes.
 * 3. PostGIS: the same rows in temporary tables (EPSG:3857, GiST), one prepared ST_AsMVT query per tile.
 * 4. HTTP (child processes, loopback): every sampled tile cached, a raw keep-alive client (and autocannon,
 *    for reference) cycling their URLs, against hello-world and a bare route sending the same bytes,
 *    interleaved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBenchCity, type BenchCity } from './lib/city.js';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { memoryLine } from './lib/measure.js';
import { args, pgUrl, SCALE, COMPONENTS } from './lib/options.js';
import { benchPreamble, loadAvg, cpuTimes, stealShare } from './lib/machine.js';
import { printTable, rate, ms, type Row } from './lib/report.js';
import { startServer, cannon, type ChildServer } from './lib/http.js';
import { load, startBytesServer, startTileServer, writeBodies } from './lib/tile-server.js';
import { sampleTiles, percentiles, type TileAddress } from './lib/tile-sample.js';
import { PostgisTiles } from './lib/postgis-tiles.js';
import { buildTileSources, type TileRows, type TileSource } from '../tiles/index.js';
import type { Geometry } from '../src/domain/types.js';

const SEED = 20261115;
const ZOOMS = [12, 13, 14, 15, 16, 17, 18];
const PER_ZOOM = 100;
const WARMUP_PER_ZOOM = 10;
const MAX_TILE_BYTES = 500 * 1024;
const CANNON = { connections: 10, seconds: 5, rounds: 2 };
const SOURCES = ['components', 'grids'] as const;
type SourceId = (typeof SOURCES)[number];

const rows: Row[] = [];
const log = (s = '') => console.log(s);

/** Cold timings of one source at one zoom. */
interface ZoomRun {
  ms: number[];
  bytes: number[];
  /** Tiles with a feature (the others are empty: 204). */
  nonEmpty: number;
  dropped: number;
}

async function main(): Promise<void> {
  await benchPreamble('Wanmi tile benchmark', args, log);
  const started = cpuTimes();
  const bench = buildBenchCity(SCALE, COMPONENTS, SEED);
  log(`\nCity: demo scale ${SCALE} (seed ${SEED}): ${bench.city.grids.length} grids, ${bench.city.components.length} components `
    + `(${bench.generated} generated + ${bench.added} seeded points); generated in ${ms(bench.generateMs + bench.topUpMs)}`);

  const sources = await buildSources(bench);
  const tiles = sampleTiles(bench.city.components, ZOOMS, PER_ZOOM, SEED + 10);
  const warmup = sampleTiles(bench.city.components, ZOOMS, WARMUP_PER_ZOOM, SEED + 11);
  log(`\nTiles: ${ZOOMS.map((z) => `z${z} ${tiles.get(z)!.length}`).join(', ')} (distinct tiles holding a seeded random component)`);

  if (!args.includes('--no-cold')) {
    const wanmi = coldWanmi(sources, tiles, warmup);
    const peer = args.includes('--no-pg') ? null : await coldPostgis(bench, tiles, warmup);
    compare(wanmi, peer);
  }
  if (!args.includes('--no-http')) await http(tiles);

  log('\nResults');
  printTable(rows);
  log(`\nload at end: ${loadAvg()}; CPU time stolen by the hypervisor during the run: ${stealShare(started, cpuTimes())}`);
}

/** Builds the components and grids sources apart, reporting time and retained memory against the raw coordinates. */
async function buildSources(bench: BenchCity): Promise<Map<SourceId, TileSource>> {
  const none: TileRows = { adminAreas: [], grids: [], components: [], addresses: [], roads: [], zones: [] };
  const pick = (all: TileSource[], id: SourceId) => all.find((s) => s.id === id)!;
  const build = (id: SourceId) => pick(buildTileSources({ ...none, [id]: bench.city[id] }, { dataVersion: 1 }), id);
  // One build thrown away first: comparing ids while sorting makes V8 flatten the rows' concatenated id
  // strings, which frees memory; counted in the measured build, that would pass for a saving of tiling.
  for (const id of SOURCES) build(id);
  const components = await measureRetained(() => build('components'));
  const grids = await measureRetained(() => build('grids'));
  const rawComponents = 16 * bench.city.components.reduce((n, c) => n + vertices(c.geometry), 0) / 2 ** 20;
  const rawGrids = 16 * bench.city.grids.reduce((n, g) => n + vertices(g.geometry), 0) / 2 ** 20;
  const ratio = (components.retainedMB + grids.retainedMB) / (rawComponents + rawGrids);
  log('\nBuild (each source projects its rows once: flat arrays, R-tree, side arrays)');
  log(`  components: ${ms(components.ms)}, +${components.retainedMB.toFixed(1)} MiB (raw coordinates ${rawComponents.toFixed(1)} MiB)`);
  log(`  grids:      ${ms(grids.ms)}, +${grids.retainedMB.toFixed(1)} MiB (raw coordinates ${rawGrids.toFixed(1)} MiB)`);
  log(`  memory after indexing: ${memoryLine()}`);
  rows.push({
    metric: 'tiling memory ÷ raw coordinates', wanmi: `${(components.retainedMB + grids.retainedMB).toFixed(1)} MiB`,
    peer: `raw ${(rawComponents + rawGrids).toFixed(1)} MiB`, ratio, target: '≤ 1.5×', met: ratio <= 1.5,
  });
  return new Map<SourceId, TileSource>([['components', components.value], ['grids', grids.value]]);
}

/**
 * Times one build and the memory it retains (heap + array buffers), each reading taken once full
 * collections no longer move it: V8 releases a dead array buffer's memory after the collection that
 * found it, off the main thread, so one collection right after the warm-up build could still count that
 * build's buffers in the "before" reading (one run showed a negative figure for the components).
 */
async function measureRetained<T>(build: () => T): Promise<{ value: T; ms: number; retainedMB: number }> {
  const before = await settledMemory();
  const t = performance.now();
  const value = build();
  const ms = performance.now() - t;
  return { value, ms, retainedMB: ((await settledMemory()) - before) / 2 ** 20 };
}

v8.setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

async function settledMemory(): Promise<number> {
  let last = -1;
  for (let round = 0; round < 20; round++) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const m = process.memoryUsage();
    const now = m.heapUsed + m.arrayBuffers;
    if (Math.abs(now - last) < 64 * 1024) return now;
    last = now;
  }
  return last;
}

function vertices(g: Geometry): number {
  const count = (c: unknown): number => (Array.isArray(c) && Array.isArray(c[0]) ? c.reduce((n: number, x: unknown) => n + count(x), 0) : 1);
  return count(g.coordinates);
}

type Runs = Map<SourceId, Map<number, ZoomRun>>;

/** Each sampled tile cut once per source, no cache, after a warm-up on other tiles. */
function coldWanmi(sources: Map<SourceId, TileSource>, tiles: Map<number, TileAddress[]>, warmup: Map<number, TileAddress[]>): Runs {
  for (const s of sources.values()) for (const list of warmup.values()) for (const t of list) s.renderTile(t.z, t.x, t.y);
  const runs: Runs = new Map();
  for (const id of SOURCES) {
    const source = sources.get(id)!;
    const byZoom = new Map<number, ZoomRun>();
    for (const z of ZOOMS) {
      const run: ZoomRun = { ms: [], bytes: [], nonEmpty: 0, dropped: 0 };
      for (const t of tiles.get(z)!) {
        const t0 = performance.now();
        const tile = source.renderTile(t.z, t.x, t.y);
        run.ms.push(performance.now() - t0);
        run.bytes.push(tile?.data.byteLength ?? 0);
        if (tile) run.nonEmpty++;
        run.dropped += tile?.dropped ?? 0;
      }
      byZoom.set(z, run);
    }
    runs.set(id, byZoom);
  }
  return runs;
}

/** The same tiles from PostGIS, after its own warm-up. */
async function coldPostgis(bench: BenchCity, tiles: Map<number, TileAddress[]>, warmup: Map<number, TileAddress[]>): Promise<Runs> {
  const pg = await PostgisTiles.load(pgUrl, bench.city.components, bench.city.grids);
  try {
    log(`\nPostGIS: ${bench.city.components.length} components and ${bench.city.grids.length} grids loaded into temporary tables in ${ms(pg.loadMs)}`);
    for (const id of SOURCES) for (const list of warmup.values()) for (const t of list) await pg.tile(id, t.z, t.x, t.y);
    const runs: Runs = new Map();
    for (const id of SOURCES) {
      const byZoom = new Map<number, ZoomRun>();
      for (const z of ZOOMS) {
        const run: ZoomRun = { ms: [], bytes: [], nonEmpty: 0, dropped: 0 };
        for (const t of tiles.get(z)!) {
          const r = await pg.tile(id, t.z, t.x, t.y);
          run.ms.push(r.ms);
          run.bytes.push(r.bytes);
          if (r.bytes > 0) run.nonEmpty++;
        }
        byZoom.set(z, run);
      }
      runs.set(id, byZoom);
    }
    return runs;
  } finally {
    await pg.close();
  }
}

/** Per source and zoom: Wanmi's cold times and sizes, PostGIS's, and the ratios. */
function compare(wanmi: Runs, peer: Runs | null): void {
  log('\nCold tiles (ms: median / p99; bytes: median / max of the non-empty tiles, uncompressed)');
  let largest = 0;
  for (const id of SOURCES) {
    for (const z of ZOOMS) {
      const w = wanmi.get(id)!.get(z)!;
      const p = peer?.get(id)!.get(z)!;
      if (w.nonEmpty === 0 && (!p || p.nonEmpty === 0)) {
        log(`  ${id} z${z}: every tile empty (below the layer's minzoom)`);
        continue;
      }
      const wt = percentiles(w.ms);
      const wb = percentiles(w.bytes.filter((b) => b > 0));
      largest = Math.max(largest, ...w.bytes);
      let line = `  ${id} z${z}: ${w.ms.length} tiles (${w.nonEmpty} non-empty${w.dropped ? `, ${w.dropped} features dropped by the caps` : ''}); `
        + `Wanmi ${fmt(wt.median)} / ${fmt(wt.p99)} ms, ${kib(wb.median)} / ${kib(wb.max)}`;
      const row: Row = { metric: `${id} z${z} cold tile, median / p99`, wanmi: `${fmt(wt.median)} / ${fmt(wt.p99)} ms`, peer: '—' };
      if (p) {
        const pt = percentiles(p.ms);
        const pb = percentiles(p.bytes.filter((b) => b > 0));
        const ratio = pt.median / wt.median;
        const ratio99 = pt.p99 / wt.p99;
        line += `; ST_AsMVT ${fmt(pt.median)} / ${fmt(pt.p99)} ms, ${kib(pb.median)} / ${kib(pb.max)}; ratio ${ratio.toFixed(1)}× / ${ratio99.toFixed(1)}×`;
        Object.assign(row, {
          peer: `ST_AsMVT ${fmt(pt.median)} / ${fmt(pt.p99)} ms`, ratio, target: '≥ 5× (median and p99)',
          met: ratio >= 5 && ratio99 >= 5,
        });
        row.metric += ` (p99 ratio ${ratio99.toFixed(1)}×)`;
      }
      log(line);
      rows.push(row);
    }
  }
  rows.push({ metric: 'largest tile', wanmi: kib(largest), peer: '—', target: '≤ 500 KiB', met: largest <= MAX_TILE_BYTES });
}

/**
 * Cached tiles over HTTP (the app in a child) against hello-world and a control route sending the same
 * bytes, each load generator in its own process: the raw client (tile-load.ts, bodies skipped) for the
 * target, and autocannon for reference (it decodes every body into a string, see tile-load.ts).
 */
async function http(tiles: Map<number, TileAddress[]>): Promise<void> {
  const servers: ChildServer[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-bench-bodies-'));
  try {
    const wanmi = await startTileServer(SCALE, COMPONENTS, SEED, 1024);
    servers.push(wanmi);
    const hello = await startServer('serve-hello.ts');
    servers.push(hello);
    const v = wanmi.info.dataVersion as number;
    const paths = SOURCES.flatMap((id) => ZOOMS.flatMap((z) => tiles.get(z)!.map((t) => `/tiles/${id}/${t.z}/${t.x}/${t.y}.mvt?v=${v}`)));
    // Fill the cache: every URL once, uncompressed, and keep the answers for the control.
    const bodies = new Map<string, Buffer>();
    for (const p of paths) {
      const res = await fetch(`http://127.0.0.1:${wanmi.port}${p}`, { headers: { 'accept-encoding': 'identity' } });
      if (res.status !== 200 && res.status !== 204) throw new Error(`${p} answered ${res.status}`);
      bodies.set(p, Buffer.from(await res.arrayBuffer()));
    }
    const bytes = [...bodies.values()].reduce((n, b) => n + b.length, 0);
    const empty = [...bodies.values()].filter((b) => b.length === 0).length;
    const file = path.join(dir, 'bodies.bin');
    fs.writeFileSync(file, writeBodies(bodies));
    const control = await startBytesServer(file);
    servers.push(control);
    const mean = bytes / paths.length;
    log(`\nHTTP (child processes on 127.0.0.1; tile sources built in ${ms(wanmi.info.tilesMs as number)} in the child)`);
    log(`  ${paths.length} tile URLs (both sources, z12–z18, ?v=${v}), all cached first: ${(bytes / 2 ** 20).toFixed(1)} MiB, `
      + `${(mean / 1024).toFixed(1)} KiB per URL, ${empty} empty (204); no Accept-Encoding (uncompressed MVT)`);
    // 'wanmi gzip' asks for gzip as map clients do: the cached tile's gzipped bytes, compressed once.
    const targets = [['hello', hello, ['/']], ['wanmi', wanmi, paths], ['control', control, paths], ['wanmi gzip', wanmi, paths]] as const;
    type Tool = 'raw' | 'autocannon';
    const run = async (tool: Tool, port: number, p: readonly string[], seconds: number, gzip = false) => {
      const job = { port, paths: [...p], connections: CANNON.connections, seconds, headers: gzip ? ['Accept-Encoding: gzip'] : [] };
      const r = tool === 'raw' ? await load(job) : await cannon({ ...job, url: `http://127.0.0.1:${port}` });
      if (r.non2xx || r.errors) throw new Error(`${tool} on ${port}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
      return r;
    };
    // autocannon sends no Accept-Encoding header of its own accord: it runs the uncompressed targets only.
    const targetsOf = (tool: Tool) => targets.filter(([name]) => tool === 'raw' || name !== 'wanmi gzip');
    for (const tool of ['raw', 'autocannon'] as const) for (const [name, server, p] of targetsOf(tool)) await run(tool, server.port, p, 1, name === 'wanmi gzip');
    const totals = new Map<string, { n: number; s: number; bytes: number; cpuMs: number }>();
    const details = new Map<Tool, string[]>([['raw', []], ['autocannon', []]]);
    for (let r = 0; r < CANNON.rounds; r++) {
      for (const tool of ['raw', 'autocannon'] as const) {
        for (const [name, server, p] of targetsOf(tool)) {
          const cpuBefore = server.cpuMs();
          const res = await run(tool, server.port, p, CANNON.seconds, name === 'wanmi gzip');
          const cpuAfter = server.cpuMs();
          const t = totals.get(`${tool} ${name}`) ?? { n: 0, s: 0, bytes: 0, cpuMs: 0 };
          const bodyBytes = 'bodyBytes' in res ? res.bodyBytes : 0;
          const cpuMs = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : NaN;
          totals.set(`${tool} ${name}`, { n: t.n + res.total, s: t.s + res.seconds, bytes: t.bytes + bodyBytes, cpuMs: t.cpuMs + cpuMs });
          details.get(tool)!.push(`${name} ${rate(res.reqPerSec)}`);
        }
      }
    }
    const rateOf = (key: string) => totals.get(key)!.n / totals.get(key)!.s;
    for (const tool of ['raw', 'autocannon'] as const) {
      log(`  ${tool === 'raw' ? 'raw client (tile-load.ts)' : 'autocannon'}, ${CANNON.connections} connections, ${CANNON.rounds}×${CANNON.seconds} s each, interleaved: ${details.get(tool)!.join('; ')}`);
      const [h, w, c] = ['hello', 'wanmi', 'control'].map((n) => rateOf(`${tool} ${n}`));
      const by = tool === 'raw' ? '' : ' (autocannon, reference)';
      rows.push({
        metric: `cached tile GET req/s${by}`, wanmi: rate(w, ' req/s'), peer: `hello-world ${rate(h, ' req/s')}`, ratio: w / h,
        ...(tool === 'raw' ? { target: '≥ 0.8×', met: w >= 0.8 * h } : {}),
      });
      rows.push({ metric: `cached tile GET req/s vs a bare route sending the same bytes${by}`, wanmi: rate(w, ' req/s'), peer: `control ${rate(c, ' req/s')}`, ratio: w / c });
    }
    // The raw client's runs seen from the servers: what a request costs the server's CPU, apart from the client's.
    const cpuUs = (key: string) => (1000 * totals.get(key)!.cpuMs) / totals.get(key)!.n;
    const [helloUs, wanmiUs, controlUs] = ['hello', 'wanmi', 'control'].map((n) => cpuUs(`raw ${n}`));
    if ([helloUs, wanmiUs, controlUs].every(Number.isFinite)) {
      rows.push({ metric: 'cached tile GET, server CPU per request', wanmi: `${wanmiUs.toFixed(1)} µs`, peer: `hello-world ${helloUs.toFixed(1)} µs`, ratio: helloUs / wanmiUs });
      rows.push({ metric: 'cached tile GET, server CPU per request vs the same bytes', wanmi: `${wanmiUs.toFixed(1)} µs`, peer: `control ${controlUs.toFixed(1)} µs`, ratio: controlUs / wanmiUs });
    }
    const gz = totals.get('raw wanmi gzip')!;
    const gzRate = gz.n / gz.s;
    const helloRate = rateOf('raw hello');
    log(`  with Accept-Encoding: gzip: ${(gz.bytes / Math.max(gz.n, 1) / 1024).toFixed(1)} KiB per response (gzipped once per cached tile)`);
    rows.push({
      metric: 'cached tile GET req/s, Accept-Encoding: gzip (as map clients ask)', wanmi: rate(gzRate, ' req/s'),
      peer: `hello-world ${rate(helloRate, ' req/s')}`, ratio: gzRate / helloRate, target: '≥ 0.8×', met: gzRate >= 0.8 * helloRate,
    });
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

await main();
