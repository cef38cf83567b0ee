import fs from 'node:fs';
import t from 'tap';
import { testStores } from '../helpers/stores.js';
import type { Store } from '../../src/store/connect.js';
import { countFeatures, readFeature } from '../../src/store/layer-io.js';
import { layerCodecs } from '../../src/store/layers.js';
import { readDataVersion } from '../../src/store/meta.js';
import { openGazetteer } from '../../src/domain/gazetteer.js';
import type { Component } from '../../src/domain/types.js';
import { importLayer, type ImportOptions } from '../../importers/import.js';
import { changesOfImport, featureAsOf, featureHistory, layerAsOf, listImports, readImport } from '../../importers/history.js';
import { centreOf, componentFeature, demo, demoStoreForTest, gridFeature, square, writeGeoJSON } from '../helpers/census-fixtures.js';

// Imports on every store: all or nothing, the modes and their history, re-import as a no-op,
// --skip-invalid. Each store starts from the demo city (scale 0.05: 282 grids, 8,311 components).
const gazetteer = openGazetteer();
t.teardown(() => gazetteer.close());
const { city } = demo();
const lamps = city.components.filter((c) => c.major + c.minor === '0118');

/** Everything an import may touch, to compare before and after a failure. */
async function snapshot(store: Store) {
  const count = (table: string) => store.db(table).count({ n: '*' }).first().then((r) => Number(r?.n));
  return {
    components: await countFeatures(store.db, 'components'),
    grids: await countFeatures(store.db, 'grids'),
    history: await count('feature_history'),
    imports: await count('imports'),
    dataVersion: await readDataVersion(store.db),
  };
}

for (const factory of testStores()) {
  t.test(`${factory.kind} store`, async (t) => {
    const { store, dir } = await demoStoreForTest(t, factory);
    const run = (file: string, o: Omit<ImportOptions, 'gazetteer'>) => importLayer(store, file, { gazetteer, validation: { today: '2030-01-01' }, ...o });
    const allComponents = writeGeoJSON(dir, 'all.geojson', city.components.map((c) => componentFeature(c)));

    t.test('the seeded data re-imported is a no-op: no history, same data version', async (t) => {
      const before = await snapshot(store);
      const r = await run(allComponents, { layer: 'components', mode: 'replace' });
      t.match(r, { state: 'unchanged', summary: { added: 0, changed: 0, retired: 0, unchanged: city.components.length, skipped: 0 } });
      t.equal(r.dataVersion, before.dataVersion);
      t.same(await snapshot(store), { ...before, imports: before.imports + 1 }, 'only the journal row');
      t.equal((await readImport(store.db, r.importId))?.state, 'unchanged');
      const grids = await run(writeGeoJSON(dir, 'grids.geojson', city.grids.map((g) => gridFeature(g))), { layer: 'grids' });
      t.match(grids, { state: 'unchanged', report: { verdict: 'ok' } });
    });

    t.test('a file with errors is rejected: only the journal row is written', async (t) => {
      const before = await snapshot(store);
      const features = city.components.map((c, i) => componentFeature(c, i === 3 ? { ObjID: 'X' } : i === 10 ? { ObjState: '破损', BGID: '330102011001999' } : { ObjState: '破损' }));
      const r = await run(writeGeoJSON(dir, 'bad.geojson', features), { layer: 'components', mode: 'update' });
      t.match(r, { state: 'rejected', summary: { added: 0, changed: 0 }, skippedRows: [4, 11] });
      t.same(await snapshot(store), { ...before, imports: before.imports + 1 });
      const journal = await readImport(store.db, r.importId);
      t.match(journal, { state: 'rejected', layer: 'components', mode: 'update', report: { verdict: 'rejected', byCode: { COMPONENT_ID_FORMAT: 1, COMPONENT_GRID_UNKNOWN: 1 } } });
      t.same(await changesOfImport(store.db, r.importId), []);
    });

    t.test('--skip-invalid imports the rest and lists the skipped rows', async (t) => {
      const stale = lamps[5];
      const features = lamps.map((c, i) => componentFeature(c, { ObjState: '破损', ...(i === 5 ? { ORDate: '20231345' } : {}) }));
      const r = await run(writeGeoJSON(dir, 'skip.geojson', features), { layer: 'components', mode: 'update', skipInvalid: true, validFrom: '2024-05-01' });
      const changes = lamps.filter((c, i) => i !== 5 && c.state !== '破损').length;
      t.match(r, { state: 'applied', summary: { added: 0, changed: changes, unchanged: lamps.length - 1 - changes, retired: 0, skipped: 1 }, skippedRows: [6] });
      t.equal(((await readFeature(store.db, layerCodecs.components, stale.id)) as Component).state, stale.state, 'the skipped row left its feature as it was');
      t.equal(((await readFeature(store.db, layerCodecs.components, lamps[0].id)) as Component).state, '破损');
      t.equal((await changesOfImport(store.db, r.importId)).length, changes);
      t.match((await readImport(store.db, r.importId))?.summary, { skipped: 1, skippedRows: [6] });
      const before = await snapshot(store);
      const noId = await run(allComponents, { layer: 'components', mode: 'replace', skipInvalid: true, mapping: { 'components id': 'ObjName' } });
      t.match(noId, { state: 'rejected', report: { counts: { valid: 0 } } }, 'a file with no valid row never empties the layer');
      t.same(await snapshot(store), { ...before, imports: before.imports + 1 });
    });

    t.test('update: adds and changes with history; as-of queries; re-import is a no-op', async (t) => {
      const changed = lamps[0];
      const added: Component = { ...changed, id: `${changed.id.slice(0, 10)}999999`, note: '新增' };
      const file = writeGeoJSON(dir, 'update.geojson', [
        componentFeature(changed, { ObjState: '丢失', CHDate: '20240610' }), componentFeature(added),
      ]);
      const before = await readDataVersion(store.db);
      const r = await run(file, { layer: 'components', mode: 'update', validFrom: '2024-06-15' });
      t.match(r, { state: 'applied', summary: { added: 1, changed: 1, retired: 0, unchanged: 0 }, dataVersion: before + 1 });
      const changes = await changesOfImport(store.db, r.importId);
      t.same(changes.map((c) => [c.featureId, c.action]), [[added.id, 'add'], [changed.id, 'change']]);
      const change = changes.find((c) => c.action === 'change')!;
      t.match(change, { before: { state: '破损' }, after: { state: '丢失', changedDate: '2024-06-10' }, validFrom: '2024-06-15T00:00:00.000Z', validTo: null });
      t.match(await featureAsOf(store.db, 'components', changed.id, '2024-06-01'), { state: '破损' }, 'as of the earlier import');
      t.match(await featureAsOf(store.db, 'components', changed.id, '2024-06-15'), { state: '丢失' }, 'a date includes its whole day');
      t.match(await featureAsOf(store.db, 'components', changed.id, '2024-01-01'), { state: changed.state }, 'before any import: the first before');
      t.equal(await featureAsOf(store.db, 'components', added.id, '2024-06-01'), null, 'not yet added');
      const timeline = await featureHistory(store.db, 'components', changed.id);
      t.same(timeline.map((h) => [h.action, h.validFrom.slice(0, 10), h.validTo?.slice(0, 10) ?? null]), [['change', '2024-05-01', '2024-06-15'], ['change', '2024-06-15', null]]);
      const again = await run(file, { layer: 'components', mode: 'update', validFrom: '2024-07-01' });
      t.match(again, { state: 'unchanged', summary: { unchanged: 2 }, dataVersion: before + 1 });
      t.same(await changesOfImport(store.db, again.importId), []);
    });

    t.test('update --retire-missing retires only within the surveyed areas', async (t) => {
      // The file re-surveys the county's street lamps (0118) and lists all but three of them.
      const gone = lamps.slice(-3).map((c) => c.id);
      const stored = lamps.map((c, i) => componentFeature(c, i === 0 ? { ObjState: '丢失', CHDate: '20240610' } : { ObjState: '破损' }));
      const keep = [...stored.slice(0, -3), componentFeature({ ...lamps[0], id: `${lamps[0].id.slice(0, 10)}999999`, note: '新增' })];
      const before = await countFeatures(store.db, 'components');
      const r = await run(writeGeoJSON(dir, 'retire.geojson', keep), { layer: 'components', mode: 'update', retireMissing: true, validFrom: '2024-08-01' });
      t.match(r.summary, { added: 0, retired: 3 });
      t.equal(await countFeatures(store.db, 'components'), before - 3, 'other classes untouched');
      const retired = await changesOfImport(store.db, r.importId, { action: 'retire' });
      t.same(retired.map((h) => h.featureId).sort(), [...gone].sort());
      t.match(retired[0], { after: null, before: { id: retired[0].featureId } });
      t.equal(await featureAsOf(store.db, 'components', gone[0], '2024-08-02'), null);
      t.match(await featureAsOf(store.db, 'components', gone[0], '2024-07-31'), { id: gone[0] });
      t.notOk((await layerAsOf(store.db, 'components', '2024-08-02')).includes(gone[0]));
    });

    t.test('replace: the layer becomes the file; retired features keep their history', async (t) => {
      const current = await countFeatures(store.db, 'components');
      const file = writeGeoJSON(dir, 'replace.geojson', city.components.slice(50).map((c) => componentFeature(c)));
      const r = await run(file, { layer: 'components', mode: 'replace', validFrom: '2024-09-01' });
      t.equal(await countFeatures(store.db, 'components'), city.components.length - 50);
      t.equal(r.summary.added + r.summary.changed + r.summary.unchanged, city.components.length - 50);
      t.equal(r.summary.retired, current - r.summary.unchanged - r.summary.changed);
      const actions = await changesOfImport(store.db, r.importId);
      t.equal(actions.length, r.summary.added + r.summary.changed + r.summary.retired);
      t.ok((await listImports(store.db, { layer: 'components' })).some((i) => i.id === r.importId));
      if (factory.kind === 'geopackage') {
        const [{ n }] = await store.db.raw('SELECT count(*) AS n FROM rtree_components_geom');
        t.equal(n, city.components.length - 50, 'the R-tree follows deletes and bulk inserts');
      }
    });

    t.test('all or nothing: a failure mid-way leaves the store exactly as before', async (t) => {
      const before = await snapshot(store);
      const file = writeGeoJSON(dir, 'fail.geojson', city.components.slice(0, 4000).map((c) => componentFeature(c, { ObjState: '占用' })));
      // After validation and the retirements (thousands of deletes), the file changes under the importer.
      const edit = () => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('占用', '废弃'));
      let edited = false;
      const onProgress: ImportOptions['onProgress'] = (p) => { if (p.phase === 'write' && !edited) { edited = true; edit(); } };
      await t.rejects(run(file, { layer: 'components', mode: 'replace', onProgress }), { code: 'IMPORT_SOURCE_CHANGED' });
      t.ok(edited);
      t.same(await snapshot(store), before, 'a real mid-way failure');
      await t.rejects(run(file, { layer: 'components', mode: 'replace', beforeCommit: () => { throw new Error('injected'); } }), { message: 'injected' });
      t.same(await snapshot(store), before, 'a failure just before commit');
    });

    t.test('grids: an update whose new grid overlaps a stored one is rejected', async (t) => {
      const g = city.grids[40];
      const feature = gridFeature({ ...g, code: `${g.communityCode}950` });
      feature.geometry = square(centreOf(g), 0.0002);
      const r = await run(writeGeoJSON(dir, 'overlap.geojson', [feature]), { layer: 'grids', mode: 'update' });
      t.equal(r.state, 'rejected');
      t.match(r.report.problems, [{ row: 1, code: 'GRID_OVERLAP', message: /\(in the store\)/ }]);
    });

    t.test('options are checked', async (t) => {
      await t.rejects(run(allComponents, { layer: 'trees' }), { code: 'IMPORT_UNKNOWN_LAYER' });
      await t.rejects(run(allComponents, { layer: 'components', mode: 'merge' as never }), { code: 'IMPORT_BAD_OPTION' });
      await t.rejects(run(allComponents, { layer: 'components', validFrom: 'yesterday' }), { code: 'IMPORT_BAD_OPTION' });
      await t.rejects(run(`${dir}/missing.geojson`, { layer: 'components' }), { code: 'IMPORT_NOT_FOUND' });
    });
  });
}
