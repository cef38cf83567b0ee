import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { testStores } from '../helpers/stores.js';
import { openStore } from '../../src/store/connect.js';
import { countFeatures } from '../../src/store/layer-io.js';
import { openGazetteer } from '../../src/domain/gazetteer.js';
import { readSource } from '../../importers/index.js';
import { openSource, sourceRows } from '../../importers/source-rows.js';
import { validateRows } from '../../importers/validate.js';
import { loadReferences } from '../../importers/context.js';
import { importLayer } from '../../importers/import.js';
import { changesOfImport } from '../../importers/history.js';
import { tmpDir, writeGeoJSON, type Feature } from '../helpers/census-fixtures.js';

// Real data, read in place: Taipei's 91,313 street trees (taipei-trees/SOURCE.md; TWD97 / TM2 zone 121,
// EPSG:3826). Their ids (BT0614021096) are not GB/T 30428 ids, so the file as delivered is rejected
// row by row; a derived GeoJSON with 16-digit 行道树 (0402) ids imports, all of it, on every store.
const TREES = new URL('../../../shared/data/taipei-trees/street_trees/2026-08-22.csv.gz', import.meta.url).pathname;
const ROWS = 91_313;
const READ = { crs: 'EPSG:3826', csv: { x: 'TWD97X', y: 'TWD97Y' } };
const gazetteer = openGazetteer();
t.teardown(() => gazetteer.close());
// Five passes over 91k features per store (~1 min each on a busy 2-core machine): more than the default.
t.setTimeout(600_000);

t.test('the delivery as is: every id refused, counts exact, list capped, no geometry problem', async (t) => {
  const mapping = path.join(tmpDir(t), 'trees-mapping.json');
  fs.writeFileSync(mapping, JSON.stringify({
    'components id': 'TreeID', 'components name': 'TreeType', 'components initialDate': 'SurveyDate',
    'components changedDate': 'UpdDate', 'components note': 'RegionRemark',
  }));
  const source = await openSource(TREES, { ...READ, mapping });
  t.teardown(() => source.close());
  const refs = await loadReferences(null, { gazetteer });
  const { report } = await validateRows('components', sourceRows(source, { mappable: 'components' }).rows, { gazetteer, dictionary: refs.dictionary }, { today: '2026-12-31' });
  t.match(report, { verdict: 'rejected', counts: { rows: ROWS, invalid: ROWS }, truncated: true, maxProblems: 10_000 });
  t.equal(report.problems.length, 10_000);
  t.equal(report.byCode.COMPONENT_ID_FORMAT, ROWS);
  t.match(report.problems[0], { row: 1, featureId: 'BT0614021096', field: 'id', code: 'COMPONENT_ID_FORMAT', severity: 'error' });
  t.same(Object.keys(report.byCode).filter((c) => c.startsWith('GEOMETRY')), [], 'every tree reprojects to a good lon/lat point');
  // No 主管部门, grid or state anywhere; a few trees also lack a species or a survey date.
  t.ok(report.byCode.ATTR_MISSING >= 3 * ROWS && report.byCode.ATTR_MISSING < 3.01 * ROWS, 'ATTR_MISSING: competentUnit, gridCode, state');
});

/** The trees as a census delivery would give them: 16-digit ids 710000 (台湾省) + 0402 + sequence. */
async function deriveTrees(dir: string): Promise<string> {
  const source = await readSource(TREES, READ);
  const features: Feature[] = [];
  try {
    for await (const r of source.records) {
      const p = r.properties as Record<string, string>;
      features.push({
        type: 'Feature',
        geometry: r.geometry,
        properties: {
          ObjID: `7100000402${String(r.row).padStart(6, '0')}`, ObjName: '行道树', DeptCode1: '臺北市政府工務局公園路燈工程管理處',
          ObjState: '完好', ORDate: p.SurveyDate, DataSource: '实测', Note: `${p.Dist}${p.Region}${p.RegionRemark ?? ''}`,
          TreeID: p.TreeID, TreeType: p.TreeType, Diameter: Number(p.Diameter), TreeHeight: Number(p.TreeHeight),
        },
      });
    }
  } finally {
    await source.close();
  }
  return writeGeoJSON(dir, 'taipei-street-trees.geojson', features);
}

t.test('derived census file: all trees imported, re-import a no-op, an update changes 100', async (t) => {
  const dir = tmpDir(t);
  const file = await deriveTrees(dir);
  // Taipei is not in the mainland statistics gazetteer; a city with its own list downgrades the check.
  const validation = { today: '2026-12-31', severity: { ADMIN_UNKNOWN_COUNTY: 'warning' as const } };
  const changedFile = path.join(dir, 'changed.geojson');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: Feature[] };
  // An update is a partial delivery: the 100 trees re-surveyed, now damaged.
  const resurveyed = doc.features.slice(0, 100);
  resurveyed.forEach((f) => (f.properties.ObjState = '破损'));
  writeGeoJSON(dir, path.basename(changedFile), resurveyed);
  for (const factory of testStores()) {
    t.test(factory.kind, async (t) => {
      const ts = await factory.make();
      t.teardown(() => ts.cleanup());
      const store = await openStore(ts.config);
      t.teardown(() => store.close());
      const first = await importLayer(store, file, { layer: 'components', gazetteer, validation });
      t.match(first, { state: 'applied', summary: { added: ROWS, changed: 0, retired: 0, skipped: 0 }, report: { verdict: 'warnings', byCode: { ADMIN_UNKNOWN_COUNTY: ROWS } } });
      t.match(first.report.checksSkipped, [{ check: 'COMPONENT_OUTSIDE_GRID' }], 'no grids in this store');
      t.equal(await countFeatures(store.db, 'components'), ROWS);
      const again = await importLayer(store, file, { layer: 'components', gazetteer, validation });
      t.match(again, { state: 'unchanged', summary: { unchanged: ROWS }, dataVersion: first.dataVersion });
      const update = await importLayer(store, changedFile, { layer: 'components', mode: 'update', gazetteer, validation });
      t.match(update, { state: 'applied', summary: { added: 0, changed: 100, unchanged: 0, retired: 0 }, dataVersion: first.dataVersion + 1 });
      t.equal(await countFeatures(store.db, 'components'), ROWS, 'an update retires nothing');
      const changes = await changesOfImport(store.db, update.importId);
      t.equal(changes.length, 100);
      t.match(changes[0], { action: 'change', before: { state: '完好', extra: { TreeID: 'BT0614021096' } }, after: { state: '破损' } });
    });
  }
});
