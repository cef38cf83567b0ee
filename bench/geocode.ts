// Geocoding benchmark: top-1 hit rate within 50 m on clean and perturbed addresses generated from the
// demo city's address layer (seeded), throughput of the batch core, and single-request latency over HTTP.
// Usage: npx tsx bench/geocode.ts [--scale=1] [--queries=20000] [--seconds=10] [--no-http]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Converter } from 'opencc-js/cn2t';
import type { Address, AdminArea } from '../src/domain/types.js';
import { buildDemoCityData } from '../src/service/demo-city.js';
import { TerritoryIndex } from '../src/index/territory.js';
import { buildGeocodeData, geocode, type GeocodeData } from '../src/geocode/index.js';
import { createRng, type Rng } from '../src/demo/prng.js';
import { openStore } from '../src/store/connect.js';
import { writeCity } from '../src/store/city-writer.js';
import { startServer, cannon } from './lib/http.js';
import { machineInfo, loadAvg } from './lib/machine.js';
import { printTable, rate, type Row } from './lib/report.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const SCALE = Number(arg('scale', '1'));
const QUERIES = Number(arg('queries', '20000'));
const SECONDS = Number(arg('seconds', '10'));
const SEED = 20261122;
const WITHIN_M = 50;

const toTraditional: (s: string) => string = Converter({ from: 'cn', to: 'hk' });
const COMMON = '东南西北中新大小长和平安江山河湖桥园林华兴建光明阳春秋海天文德福';

/** The standard full form of an address: 浙江省杭州市上城区南星街道庆和路219号. */
function fullAddress(a: Address, admin: Map<string, AdminArea>): string {
  return `浙江省杭州市${admin.get(a.districtCode)!.name}${admin.get(a.streetCode)!.name}${a.roadName}${a.houseNumber}`;
}

const DIGITS = '零一二三四五六七八九';
/** 219 → 二百一十九 (the spoken form on forms and in hotline transcripts). */
function chineseNumber(n: number): string {
  const [h, t, o] = [Math.floor(n / 100), Math.floor(n / 10) % 10, n % 10];
  let s = h ? `${DIGITS[h]}百` : '';
  if (t) s += `${!h && t === 1 ? '' : DIGITS[t]}十`;
  else if (h && o) s += '零';
  if (o) s += DIGITS[o];
  return s || '零';
}

/** Realistic ways people write the same address; each returns the text and the perturbation's name. */
const PERTURBATIONS: Array<[string, (a: Address, admin: Map<string, AdminArea>, rng: Rng) => string]> = [
  ['drop province and city', (a, admin) => fullAddress(a, admin).replace('浙江省杭州市', '')],
  ['road and number only', (a) => `${a.roadName}${a.houseNumber}`],
  ['abbreviated (杭州上城)', (a, admin) => `杭州${admin.get(a.districtCode)!.name.replace(/区$/, '')}${a.roadName}${a.houseNumber}`],
  ['traditional characters', (a, admin) => toTraditional(fullAddress(a, admin))],
  ['full-width digits', (a, admin) => fullAddress(a, admin).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
  ['Chinese numerals', (a, admin) => fullAddress(a, admin).replace(/(\d+)号$/, (_m, n) => `${chineseNumber(Number(n))}号`)],
  ['typo in the road name', (a, admin, rng) => {
    const name = a.roadName;
    const i = rng.int(0, name.length - 2);
    const swapped = name.slice(0, i) + COMMON[rng.int(0, COMMON.length - 1)] + name.slice(i + 1);
    return fullAddress(a, admin).replace(name, swapped);
  }],
  ['road suffix alias (路↔街)', (a, admin) => fullAddress(a, admin).replace(a.roadName, a.roadName.replace(/路$/, '街').replace(/街$/, a.roadName.endsWith('街') ? '路' : '街'))],
  ['levels out of order, spaces', (a, admin) => `${a.roadName} ${a.houseNumber}, ${admin.get(a.streetCode)!.name}, ${admin.get(a.districtCode)!.name}`],
  ['building, unit and room added', (a, admin) => `${fullAddress(a, admin)}3幢2单元501室`],
];

interface Tally {
  n: number;
  hits: number;
  byLevel: Map<string, number>;
}

function score(data: GeocodeData, queries: Array<{ text: string; a: Address }>): Tally {
  const t: Tally = { n: queries.length, hits: 0, byLevel: new Map() };
  for (const { text, a } of queries) {
    const r = geocode(data, { text, limit: 1 }).results[0];
    const level = r?.level ?? '(none)';
    t.byLevel.set(level, (t.byLevel.get(level) ?? 0) + 1);
    if (r && data.distanceM(r.lon, r.lat, a.geometry.coordinates[0], a.geometry.coordinates[1]) <= WITHIN_M) t.hits++;
  }
  return t;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

async function main(): Promise<void> {
  console.log(`# bench/geocode.ts — scale ${SCALE}, ${QUERIES} queries per set, seed ${SEED}`);
  for (const line of machineInfo()) console.log(`# ${line}`);
  console.log(`# load average at start: ${loadAvg()}`);
  const { city, classes } = buildDemoCityData({ scale: SCALE });
  const admin = new Map(city.adminAreas.map((a) => [a.code, a]));
  const t0 = performance.now();
  const territory = new TerritoryIndex(city.adminAreas, city.grids);
  const data = buildGeocodeData(city, territory);
  console.log(`# city: ${city.addresses.length} house numbers on ${data.roads.size} roads, ${data.places.length} places; geocoder built in ${(performance.now() - t0).toFixed(0)} ms (incl. territory index)`);

  const rng = createRng(SEED);
  const pick = () => city.addresses[rng.int(0, city.addresses.length - 1)];
  const clean = Array.from({ length: QUERIES }, () => { const a = pick(); return { a, text: fullAddress(a, admin) }; });
  const perturbed = Array.from({ length: QUERIES }, (_, i) => {
    const a = pick();
    const [name, make] = PERTURBATIONS[i % PERTURBATIONS.length];
    return { a, text: make(a, admin, rng), name };
  });

  const rows: Row[] = [];
  const cleanT = score(data, clean);
  rows.push({ metric: 'top-1 within 50 m, clean addresses', wanmi: pct(cleanT.hits / cleanT.n), peer: '—', target: '≥ 97 %', met: cleanT.hits / cleanT.n >= 0.97 });
  const pertT = score(data, perturbed);
  rows.push({ metric: 'top-1 within 50 m, perturbed addresses', wanmi: pct(pertT.hits / pertT.n), peer: '—', target: '≥ 90 %', met: pertT.hits / pertT.n >= 0.9 });
  for (const [name] of PERTURBATIONS) {
    const subset = perturbed.filter((q) => q.name === name);
    const s = score(data, subset);
    rows.push({ metric: `  · ${name}`, wanmi: pct(s.hits / s.n), peer: '—' });
  }
  // Throughput of the batch core: the same loop POST /v1/geocode/batch runs, without HTTP.
  const all = [...clean, ...perturbed].map((q) => q.text);
  const rounds: number[] = [];
  for (let r = 0; r < 4; r++) {
    const start = performance.now();
    for (const text of all) geocode(data, { text, limit: 1 });
    rounds.push(all.length / ((performance.now() - start) / 1000));
  }
  const perSecond = rounds.slice(1).sort((x, y) => x - y)[1];
  rows.push({ metric: 'forward geocoding, batch core (median of 3 after warm-up)', wanmi: rate(perSecond), peer: '—', target: '≥ 20 k/s', met: perSecond >= 20_000 });

  console.log('\n## Top-1 level (clean / perturbed)');
  for (const level of new Set([...cleanT.byLevel.keys(), ...pertT.byLevel.keys()])) {
    console.log(`- ${level}: ${pct((cleanT.byLevel.get(level) ?? 0) / cleanT.n)} / ${pct((pertT.byLevel.get(level) ?? 0) / pertT.n)}`);
  }

  if (!process.argv.includes('--no-http')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'wanmi-geocode-bench-'));
    try {
      const file = path.join(dir, 'city.gpkg');
      const store = await openStore({ kind: 'geopackage', file });
      await writeCity(store.db, city, classes);
      await store.close();
      const server = await startServer('serve-wanmi.ts', [file]);
      try {
        const paths = perturbed.slice(0, 2000).map((q) => `/v1/geocode?address=${encodeURIComponent(q.text)}&limit=1`);
        const single = await cannon({ url: `http://127.0.0.1:${server.port}`, paths, connections: 1, seconds: SECONDS });
        rows.push({ metric: 'GET /v1/geocode, 1 connection: p99 latency', wanmi: `${single.latencyP99} ms (p50 ${single.latencyP50} ms, ${rate(single.reqPerSec, ' req/s')})`, peer: '—', target: '≤ 5 ms', met: single.latencyP99 <= 5 && single.non2xx === 0 });
        const loaded = await cannon({ url: `http://127.0.0.1:${server.port}`, paths, connections: 10, seconds: SECONDS });
        rows.push({ metric: 'GET /v1/geocode, 10 connections', wanmi: `${rate(loaded.reqPerSec, ' req/s')}, p99 ${loaded.latencyP99} ms`, peer: '—' });
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('');
  printTable(rows);
  console.log(`\n# load average at end: ${loadAvg()}`);
}

await main();
