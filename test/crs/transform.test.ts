import { readFileSync } from 'node:fs';
import t from 'tap';
import { crsFromPrj, makeTransformer, parseCrsSpec, type CrsSpec } from '../../src/crs/index.js';

/**
 * crs-pairs.json: (x, y) → (lon, lat) computed by PostGIS ST_Transform (PROJ 9.1), to the geographic CRS of
 * the same datum — which is what we take as CGCS2000 for datums without a public shift — or to WGS84 for
 * Web Mercator, TWD97, Hong Kong 1980 (7-parameter shift) and UTM. See make-crs-fixtures.ts.
 */
interface Pair { epsg: number; x: number; y: number; lon: number; lat: number; note: string }
const fixtures = new URL('../fixtures/importers/crs/', import.meta.url);
const PAIRS: Pair[] = JSON.parse(readFileSync(new URL('crs-pairs.json', fixtures), 'utf8'));
const WKT: Array<{ epsg: number; esri: string }> = JSON.parse(readFileSync(new URL('epsg-wkt.json', fixtures), 'utf8'));

/** Metres between two lon/lat points (local flat approximation; fine for centimetre differences). */
function metres(a: [number, number], b: [number, number]): number {
  const k = (Math.PI / 180) * 6371000;
  return Math.hypot((a[0] - b[0]) * k * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * k);
}

t.test('projected → CGCS2000 lon/lat agrees with PostGIS to the centimetre, for every family', async (tt) => {
  for (const p of PAIRS) {
    const got = makeTransformer(`EPSG:${p.epsg}`)(p.x, p.y);
    const d = metres(got, [p.lon, p.lat]);
    tt.ok(d < 0.01, `EPSG:${p.epsg} ${p.note}: ${(d * 100).toFixed(4)} cm`);
  }
});

t.test('the same through the ESRI .prj text instead of the code', async (tt) => {
  for (const p of PAIRS) {
    const esri = WKT.find((w) => w.epsg === p.epsg)?.esri;
    if (!esri) continue;
    const def = crsFromPrj(esri);
    tt.ok(def, `EPSG:${p.epsg} recognised`);
    const d = metres(makeTransformer(def!)(p.x, p.y), [p.lon, p.lat]);
    tt.ok(d < 0.01, `EPSG:${p.epsg} via .prj: ${(d * 100).toFixed(4)} cm`);
  }
});

t.test('SOURCE.md check values', async (tt) => {
  // taipei-trees SOURCE.md: (302404.92, 2777358.41) → 121.519601 E, 25.103645 N (gdaltransform).
  const [lon, lat] = makeTransformer('EPSG:3826')(302404.92, 2777358.41);
  tt.ok(Math.abs(lon - 121.519601) < 1e-6 && Math.abs(lat - 25.103645) < 1e-6, `${lon} ${lat}`);
  // hk-basketball-courts SOURCE.md: 北區運動場 E 831507.7 N 840737.7 → 22.50626772, 114.1306093.
  const hk = makeTransformer('EPSG:2326')(831507.7, 840737.7);
  tt.ok(metres(hk, [114.1306093, 22.50626772]) < 0.05, `${hk}`);
});

t.test('identity, offsets and failures', async (tt) => {
  tt.same(makeTransformer('wgs84')(120.1, 30.2), [120.1, 30.2]);
  tt.same(makeTransformer('cgcs2000')(120.1, 30.2), [120.1, 30.2]);
  tt.same(makeTransformer('EPSG:4490')(120.1, 30.2), [120.1, 30.2]);
  const gcj = makeTransformer('gcj02')(120.1, 30.2);
  tt.ok(gcj[0] < 120.1 && gcj[1] > 30.2, 'GCJ-02 east/south of WGS84 in Hangzhou, so the inverse moves west/north');
  tt.throws(() => makeTransformer('EPSG:1' as CrsSpec), { code: 'CRS_UNKNOWN' });
  const bad = makeTransformer(parseCrsSpec('EPSG:4549')!)(NaN, 3e6);
  tt.ok(bad.every(Number.isNaN), 'NaN in, NaN out — no exception');
});
