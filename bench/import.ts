/**
 * Import benchmark: a 1,000,000-point census shapefile into each store through Wanmi's real import
 * pipeline, against `ogr2ogr -f PostgreSQL` of the same file in the same run.
 *
 *   npx tsx bench/import.ts [--pg=postgresql://…] [--no-pg] [--no-wait] [--scale=2] [--features=1000000]
 *
 * 1. City: the seeded bench city (demo scale 2, 11,030 grids) topped up with seeded points; the first
 *    1,000,000 point components become `components.shp`: GBK .dbf with census field names, coordinates
 *    in CGCS2000 / 3-degree Gauss-Krüger CM 120E (EPSG:4549) with its .prj (Wanmi's shapefile writer).
 * 2. Parse alone: the shapefile reader (.shp × .dbf, GBK decoding, GK → lon/lat), no mapping.
 * 3. Per store (a fresh GeoPackage file; PostGIS in a temporary schema), holding the city's grids so
 *    that each component's grid can be checked: importLayer — the components layer is empty, so a
 *    first import (importers/first-import.ts): one transaction in which each valid row and its history
 *    are written as the file is read and validated, then the R-tree, indexes and commit — then the
 *    component index as the service builds it (read the layer, new ComponentIndex).
 * 4. Peer: `ogr2ogr -f PostgreSQL PG:… components.shp -lco SPATIAL_INDEX=GIST` into its own schema.
 * Stage times come from the import's progress events: pass 1 ends when it reports its row total (for a
 * first import that includes writing the rows and their history).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import knexFactory from 'knex';
import { openStore, type Store } from '../src/store/connect.js';
import { writeCity } from '../src/store/city-writer.js';
import { readFeatures } from '../src/store/layer-io.js';
import { layerCodecs } from '../src/store/layers.js';
import { ComponentIndex } from '../src/index/component-index.js';
import { openGazetteer } from '../src/domain/gazetteer.js';
import type { StoreConfig } from '../src/config.js';
import { importLayer, type ImportProgress } from '../importers/import.js';
import { readSource } from '../importers/index.js';
import { buildBenchCity, type BenchCity } from './lib/city.js';
import { pointComponents, writeComponentShapefile } from './lib/component-shapefile.js';
import { machineInfo, loadAvg, waitForQuiet } from './lib/machine.js';
import { memoryLine } from './lib/measure.js';
import { printTable, rate, ms, type Row } from './lib/report.js';

const SEED = 20261115;
const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const pgUrl = option('pg') ?? 'postgresql://postgres@127.0.0.1:5432/test';
// Scale 2 (11,030 grids), the scale of the figures in bench/README.md; the components are what is imported.
const SCALE = Number(option('scale') ?? 2);
// --features=N (or --components=N) for quicker runs, e.g. 200000.
const COMPONENTS = Number(option('features') ?? option('components') ?? 1_000_000);
const rows: Row[] = [];
const log = (s = '') => console.log(s);
const seconds = (x: number) => `${(x / 1000).toFixed(1)} s`;

interface StoreRun {
  kind: string;
  importMs: number;
  validateMs: number;
  writeMs: number;
  readMs: number;
  indexMs: number;
}

async function main(): Promise<void> {
  log('Wanmi import benchmark');
  machineInfo().forEach((l) => log(`  ${l}`));
  log(`  ogr2ogr: ${spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' }).stdout.trim()}`);
  if (!args.includes('--no-wait')) {
    const w = await waitForQuiet(1.0, 45);
    log(`  waited ${w.waitedS} s for a 1-min load ≤ 1.0: ${w.quiet ? 'reached' : 'not reached'} (now ${loadAvg()})`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-bench-import-'));
  try {
    // Non-point components take ~1.5 % of the generated ones: ask for 3 % more to have enough points.
    const bench = buildBenchCity(SCALE, Math.ceil(COMPONENTS * 1.03), SEED);
    const points = pointComponents(bench.city.components, COMPONENTS);
    const shp = path.join(dir, 'components.shp');
    let t = performance.now();
    await writeComponentShapefile(shp, points);
    log(`\nInput: ${points.length} point components of the bench city (scale ${SCALE}, seed ${SEED}, ${bench.city.grids.length} grids)`);
    log(`  components.shp written in ${seconds(performance.now() - t)}: .shp ${mb(shp)}, .dbf ${mb(shp.replace(/shp$/, 'dbf'))} (GBK), EPSG:4549 .prj`);

    t = performance.now();
    const parsed = await parseOnly(shp);
    const parseMs = performance.now() - t;
    rows.push({ metric: 'parse only: .shp × GBK .dbf, GK → lon/lat', wanmi: speed(parsed, parseMs), peer: '—' });

    const runs: StoreRun[] = [];
    runs.push(await storeRun({ kind: 'geopackage', file: path.join(dir, 'bench.gpkg') }, bench, shp, points.length));
    const ogr = args.includes('--no-pg') ? null : await ogr2ogr(shp);
    if (!args.includes('--no-pg')) runs.push(await storeRun({ kind: 'postgis', url: pgUrl, schema: `wanmi_bench_import_${process.pid}` }, bench, shp, points.length));
    report(runs, ogr, points.length);
    log(`\nMemory at the end: ${memoryLine()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function mb(file: string): string {
  return `${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB`;
}

async function parseOnly(shp: string): Promise<number> {
  const source = await readSource(shp);
  let n = 0;
  for await (const r of source.records) if (r.geometry) n++;
  await source.close();
  return n;
}

/** The city's grids (and admin areas, units, classes) in a fresh store, then the import and the index. */
async function storeRun(config: StoreConfig, bench: BenchCity, shp: string, n: number): Promise<StoreRun> {
  const store = await openStore(config);
  const gazetteer = openGazetteer();
  try {
    await writeCity(store.db, { ...bench.city, components: [] }, bench.classes);
    const marks: { validatedAt?: number } = {};
    const started = performance.now();
    const onProgress = (p: ImportProgress) => {
      // The first pass reports its total when its last row is read.
      if (p.phase === 'validate' && p.total !== null) marks.validatedAt = performance.now();
    };
    const result = await importLayer(store, shp, { layer: 'components', mode: 'replace', gazetteer, onProgress });
    const importMs = performance.now() - started;
    if (result.state !== 'applied' || result.summary.added !== n) {
      throw new Error(`bench: the import did not add every component: ${JSON.stringify({ state: result.state, summary: result.summary, byCode: result.report.byCode })}`);
    }
    const validateMs = (marks.validatedAt ?? started) - started;
    let t = performance.now();
    const components = await readFeatures(store.db, layerCodecs.components);
    const readMs = performance.now() - t;
    t = performance.now();
    const index = new ComponentIndex(components);
    const indexMs = performance.now() - t;
    if (index.size !== n) throw new Error(`bench: the index holds ${index.size} components, not ${n}`);
    return { kind: config.kind, importMs, validateMs, writeMs: importMs - validateMs, readMs, indexMs };
  } finally {
    gazetteer.close();
    await dropSchema(store, config);
  }
}

async function dropSchema(store: Store, config: StoreConfig): Promise<void> {
  if (config.kind === 'postgis' && config.schema) await store.db.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [config.schema]);
  await store.close();
}

/** The peer: GDAL's loader into PostGIS (COPY), with a GiST index, into a schema of its own. */
async function ogr2ogr(shp: string): Promise<number> {
  const schema = `wanmi_bench_ogr_${process.pid}`;
  const u = new URL(pgUrl);
  const pg = `PG:host=${u.hostname} port=${u.port || 5432} user=${decodeURIComponent(u.username)} dbname=${u.pathname.slice(1)}`
    + (u.password ? ` password=${decodeURIComponent(u.password)}` : '');
  const db = knexFactory({ client: 'pg', connection: pgUrl });
  try {
    await db.raw('CREATE SCHEMA IF NOT EXISTS ??', [schema]);
    const t = performance.now();
    const run = spawnSync('ogr2ogr', ['-f', 'PostgreSQL', pg, shp, '-nln', 'components', '-lco', `SCHEMA=${schema}`, '-lco', 'SPATIAL_INDEX=GIST'], { encoding: 'utf8' });
    const elapsed = performance.now() - t;
    if (run.status !== 0) throw new Error(`ogr2ogr failed: ${run.stderr}`);
    const [{ n }] = (await db.raw(`SELECT count(*)::int AS n FROM ??.components`, [schema])).rows;
    if (n !== COMPONENTS) throw new Error(`ogr2ogr loaded ${n} rows`);
    return elapsed;
  } finally {
    await db.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]);
    await db.destroy();
  }
}

/** "1.23 M features/s (4.5 s)". */
function speed(n: number, elapsed: number): string {
  return `${rate((n / elapsed) * 1000, ' features/s')} (${seconds(elapsed)})`;
}

function report(runs: StoreRun[], ogr: number | null, n: number): void {
  const peer = ogr === null ? '—' : `ogr2ogr ${speed(n, ogr)}`;
  for (const r of runs) {
    const limit = r.kind === 'geopackage' ? 1 : 1.5;
    rows.push({ metric: `${r.kind}: pass 1: read + map + validate + write rows and history`, wanmi: speed(n, r.validateMs), peer: '—' });
    rows.push({ metric: `${r.kind}: then: R-tree, indexes, journal, commit`, wanmi: speed(n, r.writeMs), peer: '—' });
    rows.push({
      metric: `${r.kind}: importLayer, ${n.toLocaleString('en')} points`, wanmi: speed(n, r.importMs), peer,
      ...(ogr === null ? {} : { ratio: r.importMs / ogr, target: `≤ ${limit.toFixed(1)}× ogr2ogr`, met: r.importMs <= limit * ogr }),
    });
    rows.push({ metric: `${r.kind}: component index (read + build)`, wanmi: `${seconds(r.readMs)} + ${ms(r.indexMs)}`, peer: '—' });
  }
  log('');
  printTable(rows);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
