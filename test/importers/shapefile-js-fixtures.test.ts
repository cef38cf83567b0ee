import { readFileSync, readdirSync } from 'node:fs';
import t from 'tap';
import type { Geometry } from '../../src/domain/types.js';
import { rewind } from '../../importers/geometry.js';
import { readSource, type RawRecord } from '../../importers/index.js';

/**
 * mbostock/shapefile's own test fixtures, each with the GeoJSON shapefile.js produced (see SOURCE.md),
 * compared with ours after three documented differences:
 * - winding: shapefile.js keeps the shapefile's (outer clockwise); we write RFC 7946 — expected is rewound;
 * - null attributes and the FID column: shapefile.js's own test deletes both from its output before
 *   comparing ("ogr2ogr built-in"); we keep them — so the comparison drops them from ours the same way;
 * - dates: its expected JSON has "20130102"; we write ISO "2013-01-02" — dashes are removed before comparing.
 */
const DIR = new URL('../../../shared/data/shapefile-js-fixtures/', import.meta.url);
const names = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));

interface Expected { features: Array<{ properties: Record<string, unknown>; geometry: Geometry | null }> }

const clean = (props: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(props).filter(([k, v]) => v !== null && k !== 'FID').map(([k, v]) => [k, typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v) ? v.replace(/-/g, '') : v]));

t.test('every fixture reads like shapefile.js reads it', async (tt) => {
  tt.ok(names.length >= 20, `${names.length} fixtures`);
  for (const name of names) {
    const expected: Expected = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8'));
    const source = await readSource(new URL(`${name}.shp`, DIR).pathname);
    const got: RawRecord[] = [];
    for await (const r of source.records) got.push(r);
    tt.equal(got.length, expected.features.length, `${name}: record count`);
    expected.features.forEach((f, i) => {
      tt.same(got[i]?.geometry, f.geometry && rewind(f.geometry), `${name} #${i + 1}: geometry`);
      tt.same(clean(got[i]?.properties ?? {}), f.properties, `${name} #${i + 1}: properties`);
    });
  }
});

t.test('encodings: .cpg UTF-8, and Latin-1 without .cpg detected as such', async (tt) => {
  const utf8 = await readSource(new URL('utf8-property.shp', DIR).pathname);
  tt.match(utf8, { encoding: 'utf-8', encodingSource: 'cpg' });
  const latin1 = await readSource(new URL('latin1-property.shp', DIR).pathname);
  tt.match(latin1, { encoding: 'windows-1252', encodingSource: 'detected' });
});

t.test('missing sidecars are warned about, not fatal', async (tt) => {
  const bare = await readSource(new URL('ignore-properties.shp', DIR).pathname);
  tt.same(bare.warnings.map((w) => w.code), ['IMPORT_NO_SHX', 'IMPORT_NO_DBF', 'IMPORT_CRS_ASSUMED']);
  tt.same(bare.fields, []);
});
