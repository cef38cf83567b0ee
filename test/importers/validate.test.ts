import t from 'tap';
import { openGazetteer } from '../../src/domain/gazetteer.js';
import { loadClassDictionary } from '../../src/domain/classes.js';
import type { Component, Grid } from '../../src/domain/types.js';
import { openSource, sourceRows } from '../../importers/source-rows.js';
import { validateRows, type ValidationContext, type ValidationOptions } from '../../importers/validate.js';
import type { MappableLayer } from '../../importers/field-aliases.js';
import type { ReportProblem, ValidationReport } from '../../importers/report.js';
import type { Polygonal } from '../../importers/planar.js';
import { bowTie, centreOf, componentFeature, demo, gridFeature, square, tmpDir, writeGeoJSON, type Feature } from '../helpers/census-fixtures.js';

// The validator on census-style GeoJSON made from the demo city: clean files pass with no problem at
// all; each corrupted row yields its code at its row number.
const gazetteer = openGazetteer();
t.teardown(() => gazetteer.close());
const dictionary = loadClassDictionary();
const { city } = demo();
const communities = new Map<string, Polygonal>(city.adminAreas.filter((a) => a.level === 'community').map((a) => [a.code, a.geometry]));
const context: ValidationContext = { gazetteer, dictionary, grids: city.grids, communities };
const TODAY = { today: '2030-01-01' };

async function validate(dir: string, layer: MappableLayer, features: Feature[], ctx: ValidationContext, options: ValidationOptions = TODAY) {
  const source = await openSource(writeGeoJSON(dir, `${layer}.geojson`, features), {});
  try {
    return await validateRows(layer, sourceRows(source, { mappable: layer }).rows, ctx, options);
  } finally {
    await source.close();
  }
}

const has = (r: ValidationReport, code: string, row: number | null, extra: Partial<ReportProblem> = {}) =>
  r.problems.some((p) => p.code === code && p.row === row && Object.entries(extra).every(([k, v]) => p[k as keyof ReportProblem] === v));

t.test('the demo city as census files: no problem at all', async (t) => {
  const dir = tmpDir(t);
  const grids = await validate(dir, 'grids', city.grids.map((g) => gridFeature(g)), { ...context, grids: [] });
  t.match(grids.report, { verdict: 'ok', counts: { rows: city.grids.length, valid: city.grids.length, invalid: 0, warnings: 0 }, problems: [], checksSkipped: [] });
  const components = await validate(dir, 'components', city.components.map((c) => componentFeature(c)), context);
  t.match(components.report, { verdict: 'ok', counts: { rows: city.components.length, invalid: 0, warnings: 0 }, problems: [] });
  t.same(components.report.byCode, {});
});

/** Grid rows, 1-based, with what is wrong with each. */
function corruptGrids(): { features: Feature[]; rows: Record<string, number>; removed: Grid; bow: Grid } {
  const grids = city.grids;
  const other = (g: Grid) => grids.find((h) => h.communityCode !== g.communityCode)!;
  const removed = grids[100];
  const features = grids.filter((g) => g !== removed).map((g) => gridFeature(g));
  const rowOf = (g: Grid) => features.findIndex((f) => f.properties.BGCODE === g.code) + 1;
  const rows: Record<string, number> = {
    legacy: rowOf(grids[5]), bow: rowOf(grids[10]), badDate: rowOf(grids[40]), order: rowOf(grids[50]), mismatch: rowOf(grids[60]),
  };
  features[rows.legacy - 1].properties.BGCODE = grids[5].code.slice(0, 14);
  features[rows.bow - 1].geometry = bowTie(grids[10]);
  features[rows.badDate - 1].properties.ORDATE = '20231345';
  features[rows.order - 1].properties.TERDATE = '20200101';
  features[rows.mismatch - 1].properties.SQDM = other(grids[60]).communityCode;
  features.push(gridFeature(grids[20]));
  rows.duplicate = features.length;
  features.push(gridFeature({ ...grids[30], code: `${grids[30].communityCode}901` }, {}));
  features[features.length - 1].geometry = square(centreOf(grids[30]), 0.0002);
  rows.overlap = features.length;
  const far = other(grids[0]);
  features.push(gridFeature({ ...grids[0], code: `${grids[0].communityCode}902` }));
  features[features.length - 1].geometry = square(centreOf(far), 0.0002);
  rows.outside = features.length;
  return { features, rows, removed, bow: grids[10] };
}

t.test('grids: codes, dates, duplicates, self-intersection, overlap, gap, crossing the community', async (t) => {
  const { features, rows, removed, bow } = corruptGrids();
  const { report, invalidRows } = await validate(tmpDir(t), 'grids', features, { ...context, grids: [] });
  t.equal(report.verdict, 'rejected');
  t.ok(has(report, 'GRID_CODE_LEGACY', rows.legacy, { field: 'code', severity: 'error' }), 'legacy 14-digit code');
  t.ok(has(report, 'GEOMETRY_SELF_INTERSECTION', rows.bow, { field: 'geometry' }), 'bow-tie');
  t.ok(has(report, 'MAP_BAD_DATE', rows.badDate, { field: 'initialDate' }), 'month 13');
  t.ok(has(report, 'DATE_ORDER', rows.order, { field: 'terminationDate' }), 'terminated before it began');
  t.ok(has(report, 'GRID_COMMUNITY_MISMATCH', rows.mismatch, { field: 'communityCode' }), 'SQDM names another community');
  t.ok(has(report, 'DUPLICATE_ID', rows.duplicate), 'the second copy of a code');
  t.ok(has(report, 'GRID_OVERLAP', rows.overlap, { featureId: `${city.grids[30].communityCode}901` }), 'a new grid on top of another');
  t.ok(has(report, 'GRID_OUTSIDE_COMMUNITY', rows.outside), 'a grid in another community');
  t.match(report.problems.find((p) => p.code === 'GRID_OUTSIDE_COMMUNITY')?.message, /lies entirely outside/);
  t.ok(has(report, 'GRID_GAP', null, { featureId: removed.communityCode, severity: 'warning' }), 'a removed grid leaves a gap');
  t.match(report.problems.find((p) => p.code === 'GRID_GAP' && p.featureId === removed.communityCode)?.message, /leave \d+ m² uncovered, the largest piece around \[120\.\d+, 30\.\d+\]/);
  t.ok(has(report, 'GRID_GAP', null, { featureId: bow.communityCode }), 'the bow-tie is left out of coverage too');
  // The outside-community grid is only a warning by default, but it also overlaps a grid there.
  t.same([...invalidRows].sort((a, b) => a - b), Object.values(rows).sort((a, b) => a - b), 'exactly the corrupted rows are invalid');
  t.equal(report.counts.invalid, invalidRows.size);
  t.equal(report.counts.rows, features.length);
  t.equal(Object.values(report.byCode).reduce((a, b) => a + b, 0), report.problems.length, 'counts match the list (not truncated)');
});

t.test('grid severities can be raised: a gap as an error blocks even --skip-invalid', async (t) => {
  const grids = city.grids.filter((_, i) => i !== 7).map((g) => gridFeature(g));
  const { report, rowlessErrors } = await validate(tmpDir(t), 'grids', grids, { ...context, grids: [] }, { ...TODAY, severity: { GRID_GAP: 'error' } });
  t.equal(report.verdict, 'rejected');
  t.equal(report.counts.invalid, 0, 'no row is to blame');
  t.equal(rowlessErrors, 1);
});

t.test('grids against kept store grids (update): an overlap names the stored grid', async (t) => {
  const g = city.grids[12];
  const feature = gridFeature({ ...g, code: `${g.communityCode}950` });
  feature.geometry = square(centreOf(g), 0.0002);
  const { report } = await validate(tmpDir(t), 'grids', [feature], context);
  t.ok(has(report, 'GRID_OVERLAP', 1));
  t.match(report.problems[0].message, new RegExp(`overlaps grid ${g.code} \\(in the store\\)`));
});

function pick(pred: (c: Component) => boolean, skip: Set<Component>): Component {
  const c = city.components.find((x) => pred(x) && !skip.has(x))!;
  skip.add(c);
  return c;
}

/** Component rows with what is wrong with each, in order: row n is features[n - 1]. */
function corruptComponents(): { features: Feature[]; rows: Record<string, number> } {
  const used = new Set<Component>();
  const point = () => pick((c) => c.geometry.type === 'Point' && c.changedDate === null, used);
  const farGrid = (c: Component) => city.grids.find((g) => g.communityCode !== c.gridCode!.slice(0, 12))!;
  let first: Component | undefined;
  const cases: Array<[string, () => Feature]> = [
    ['clean', () => componentFeature((first = point()))],
    ['idFormat', () => componentFeature(point(), { ObjID: '330102011800001' })],
    ['unknownClass', () => componentFeature(point(), { ObjID: '3301020199000003' })],
    ['outsideGrid', () => { const c = point(); return componentFeature(c, {}, { type: 'Point', coordinates: centreOf(farGrid(c)) }); }],
    ['unknownGrid', () => componentFeature(point(), { BGID: '330102011001999' })],
    ['duplicate', () => componentFeature(point(), { ObjID: first!.id })],
    ['badDate', () => componentFeature(point(), { ORDate: '2023-02-30' })],
    ['dateOrder', () => componentFeature(point(), { ORDate: '20230101', CHDate: '20200101' })],
    ['classKind', () => { const c = point(); return componentFeature(c, {}, { type: 'LineString', coordinates: [c.geometry.coordinates as [number, number], [(c.geometry.coordinates as number[])[0] + 0.0001, (c.geometry.coordinates as number[])[1]]] }); }],
    ['noGeometry', () => componentFeature(point(), {}, null)],
    ['state', () => componentFeature(point(), { ObjState: '坏了' })],
    ['county', () => { const c = point(); return componentFeature(c, { ObjID: `990102${c.id.slice(6)}` }); }],
    ['noName', () => componentFeature(point(), { ObjName: null })],
    ['badCoordinate', () => componentFeature(point(), {}, { type: 'Point', coordinates: [12_000_000, 3_000_000] })],
    ['legacyGrid', () => { const c = point(); return componentFeature(c, { BGID: c.gridCode!.slice(0, 14) }); }],
    ['selfIntersecting', () => { const c = pick((x) => x.geometry.type === 'Polygon', used); const g = city.grids.find((h) => h.code === c.gridCode)!; return componentFeature(c, {}, bowTie({ ...g, geometry: c.geometry as Polygonal })); }],
    ['future', () => componentFeature(point(), { ORDate: '20991231' })],
    ['onSharedVertex', () => { const c = point(); const g = city.grids.find((h) => h.code === c.gridCode)!; const ring = g.geometry.type === 'Polygon' ? g.geometry.coordinates[0] : g.geometry.coordinates[0][0]; return componentFeature(c, {}, { type: 'Point', coordinates: ring[2] }); }],
  ];
  const rows = Object.fromEntries(cases.map(([name], i) => [name, i + 1]));
  return { features: cases.map(([, make]) => make()), rows };
}

t.test('components: each corruption at its row, with its field and severity', async (t) => {
  const { features, rows } = corruptComponents();
  const { report } = await validate(tmpDir(t), 'components', features, context, { today: '2025-06-01' });
  const expect: Array<[string, string, string, 'error' | 'warning']> = [
    ['idFormat', 'COMPONENT_ID_FORMAT', 'id', 'error'],
    ['unknownClass', 'COMPONENT_UNKNOWN_CLASS', 'id', 'error'],
    ['outsideGrid', 'COMPONENT_OUTSIDE_GRID', 'gridCode', 'error'],
    ['unknownGrid', 'COMPONENT_GRID_UNKNOWN', 'gridCode', 'error'],
    ['duplicate', 'DUPLICATE_ID', 'id', 'error'],
    ['badDate', 'MAP_BAD_DATE', 'initialDate', 'error'],
    ['dateOrder', 'DATE_ORDER', 'changedDate', 'error'],
    ['classKind', 'GEOMETRY_CLASS_KIND', 'geometry', 'error'],
    ['noGeometry', 'GEOMETRY_MISSING', 'geometry', 'error'],
    ['state', 'COMPONENT_STATE_UNKNOWN', 'state', 'warning'],
    ['county', 'ADMIN_UNKNOWN_COUNTY', 'id', 'error'],
    ['noName', 'ATTR_MISSING', 'name', 'warning'],
    ['badCoordinate', 'GEOMETRY_BAD_COORDINATE', 'geometry', 'error'],
    ['legacyGrid', 'GRID_CODE_LEGACY', 'gridCode', 'error'],
    ['selfIntersecting', 'GEOMETRY_SELF_INTERSECTION', 'geometry', 'error'],
    ['future', 'DATE_FUTURE', 'initialDate', 'warning'],
  ];
  for (const [name, code, field, severity] of expect) t.ok(has(report, code, rows[name], { field, severity }), `${name}: ${code} at row ${rows[name]}`);
  t.match(report.problems.find((p) => p.code === 'COMPONENT_OUTSIDE_GRID')?.message, /it lies in grid \d{15}/);
  for (const name of ['clean', 'onSharedVertex']) t.notOk(report.problems.some((p) => p.row === rows[name]), `${name}: no problem`);
  t.equal(report.counts.invalid, expect.filter(([, , , s]) => s === 'error').length);
  t.equal(report.counts.warnings, 3);
  t.equal(report.verdict, 'rejected');
});

t.test('the problem list is capped; counts stay exact', async (t) => {
  const { features } = corruptComponents();
  const full = await validate(tmpDir(t), 'components', features, context, { today: '2025-06-01' });
  const capped = await validate(tmpDir(t), 'components', features, context, { today: '2025-06-01', maxProblems: 3 });
  t.equal(capped.report.problems.length, 3);
  t.equal(capped.report.truncated, true);
  t.equal(full.report.truncated, false);
  t.same(capped.report.byCode, full.report.byCode);
  t.same(capped.report.counts, full.report.counts);
  t.same([...capped.invalidRows], [...full.invalidRows]);
});

t.test('no grids known: the component-in-grid check is reported as skipped, not passed', async (t) => {
  const { report } = await validate(tmpDir(t), 'components', city.components.slice(0, 50).map((c) => componentFeature(c)), { gazetteer, dictionary }, TODAY);
  t.equal(report.verdict, 'ok');
  t.match(report.checksSkipped, [{ check: 'COMPONENT_OUTSIDE_GRID' }]);
});

t.test('other layers: addresses, roads, admin areas, zones', async (t) => {
  const dir = tmpDir(t);
  const [a] = city.addresses;
  const addresses = await validate(dir, 'addresses', [
    { type: 'Feature', properties: { id: a.id, roadName: a.roadName, houseNumber: a.houseNumber, districtCode: a.districtCode, streetCode: a.streetCode, communityCode: a.communityCode }, geometry: a.geometry },
    { type: 'Feature', properties: { id: '', roadName: a.roadName, houseNumber: '1号', districtCode: '330102', streetCode: '330105001', communityCode: a.communityCode }, geometry: { type: 'LineString', coordinates: [[120.1, 30.2], [120.2, 30.3]] } },
  ], context);
  t.ok(has(addresses.report, 'ATTR_REQUIRED', 2, { field: 'id' }));
  t.ok(has(addresses.report, 'ADMIN_HIERARCHY_MISMATCH', 2, { field: 'streetCode' }));
  t.ok(has(addresses.report, 'GEOMETRY_TYPE', 2));
  t.notOk(addresses.report.problems.some((p) => p.row === 1), 'the demo address is clean');
  const admin = await validate(dir, 'admin_areas', city.adminAreas.map((x, i) => ({ type: 'Feature' as const, properties: { code: i === 1 ? '330102099' : x.code, name: x.name }, geometry: x.geometry })), context);
  t.ok(has(admin.report, 'ADMIN_UNKNOWN_STREET', 2, { field: 'code' }));
  t.equal(admin.report.counts.invalid, 1);
  const zones = await validate(dir, 'zones', city.zones.map((z, i) => ({ type: 'Feature' as const, properties: { id: z.id, name: z.name, kind: z.kind, responsibleUnit: z.responsibleUnit, classes: i === 0 ? '0101,0999' : z.classes.join(',') }, geometry: z.geometry })), context);
  t.ok(has(zones.report, 'ZONE_CLASS_UNKNOWN', 1, { severity: 'warning' }));
  t.equal(zones.report.verdict, 'warnings');
  const roads = await validate(dir, 'roads', city.roads.map((r) => ({ type: 'Feature' as const, properties: { id: r.id, name: r.name, districtCode: r.districtCode }, geometry: r.geometry })), context);
  t.equal(roads.report.verdict, 'ok');
});
