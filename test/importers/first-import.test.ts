import fs from 'node:fs';
import t from 'tap';
import { testStores } from '../helpers/stores.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { writeCity } from '../../src/store/city-writer.js';
import { countFeatures } from '../../src/store/layer-io.js';
import { readDataVersion } from '../../src/store/meta.js';
import { openGazetteer } from '../../src/domain/gazetteer.js';
import { importLayer, type ImportOptions } from '../../importers/import.js';
import { changesOfImport, readImport } from '../../importers/history.js';
import { resolveImportLayer, toFeature } from '../../importers/import-layers.js';
import { openSource, sourceRows } from '../../importers/source-rows.js';
import { componentFeature, demo, tmpDir, writeGeoJSON } from '../helpers/census-fixtures.js';

// A first import (the layer empty: importers/first-import.ts) writes while it validates and takes its
// history from the layer; it must leave the store exactly as the plan-and-write path would.
const gazetteer = openGazetteer();
t.teardown(() => gazetteer.close());
const { city, classes } = demo();
// Points, and every line and polygon (PostGIS spells those in JavaScript, history.ts).
const points = city.components.filter((c) => c.geometry.type === 'Point').slice(0, 400);
const shapes = city.components.filter((c) => c.geometry.type !== 'Point');
const components = [...points.slice(0, 200), ...shapes, ...points.slice(200)];

/** The features as validated, in file order, as their JSON makes them: what each history `after` must equal. */
async function validatedFeatures(file: string): Promise<unknown[]> {
  const layer = resolveImportLayer('components')!;
  const source = await openSource(file, {});
  try {
    const out: unknown[] = [];
    for await (const { value } of sourceRows(source, layer).rows) out.push(JSON.parse(JSON.stringify(toFeature(layer.mappable, value))));
    return out;
  } finally {
    await source.close();
  }
}

for (const factory of testStores()) {
  t.test(`${factory.kind} store`, async (t) => {
    const ts = await factory.make();
    t.teardown(() => ts.cleanup());
    const store: Store = await openStore(ts.config);
    t.teardown(() => store.close());
    await writeCity(store.db, { ...city, components: [] }, classes);
    const dir = tmpDir(t);
    const run = (file: string, o: Omit<ImportOptions, 'gazetteer'>) => importLayer(store, file, { gazetteer, validation: { today: '2030-01-01' }, ...o });
    const history = () => store.db('feature_history').count({ n: '*' }).first().then((r) => Number(r?.n));

    t.test('errors roll back what was written: only the journal row stays', async (t) => {
      const version = await readDataVersion(store.db);
      const features = components.map((c, i) => componentFeature(c, i === 300 ? { BGID: '330102011001999' } : {}));
      const r = await run(writeGeoJSON(dir, 'bad.geojson', features), { layer: 'components' });
      t.match(r, { state: 'rejected', summary: { added: 0 }, skippedRows: [301], report: { byCode: { COMPONENT_GRID_UNKNOWN: 1 } } });
      t.equal(await countFeatures(store.db, 'components'), 0);
      t.equal(await history(), 0);
      t.equal(await readDataVersion(store.db), version);
      t.equal((await readImport(store.db, r.importId))?.state, 'rejected');
    });

    t.test('a file without rows changes nothing', async (t) => {
      const r = await run(writeGeoJSON(dir, 'empty.geojson', []), { layer: 'components' });
      t.match(r, { state: 'unchanged', summary: { added: 0 } });
      t.equal(await history(), 0);
    });

    t.test('a failure before the commit leaves the layer empty', async (t) => {
      const file = writeGeoJSON(dir, 'fail.geojson', components.map((c) => componentFeature(c)));
      await t.rejects(run(file, { layer: 'components', beforeCommit: () => { throw new Error('injected'); } }), { message: 'injected' });
      const edit = () => fs.appendFileSync(file, ' ');
      let edited = false;
      const onProgress: ImportOptions['onProgress'] = (p) => { if (p.phase === 'write' && !edited) { edited = true; edit(); } };
      await t.rejects(run(file, { layer: 'components', onProgress }), { code: 'IMPORT_SOURCE_CHANGED' });
      t.equal(await countFeatures(store.db, 'components'), 0);
      t.equal(await history(), 0);
    });

    t.test('--skip-invalid: the valid rows, each with its add in file order, equal to the feature as validated', async (t) => {
      const features = components.map((c, i) => componentFeature(c, i === 5 ? { ORDate: '20231345' } : {}));
      const file = writeGeoJSON(dir, 'first.geojson', features);
      const r = await run(file, { layer: 'components', skipInvalid: true, validFrom: '2024-05-01' });
      t.match(r, { state: 'applied', summary: { added: components.length - 1, changed: 0, retired: 0, unchanged: 0, skipped: 1 }, skippedRows: [6] });
      t.equal(await countFeatures(store.db, 'components'), components.length - 1);
      const expected = (await validatedFeatures(file)).filter((_, i) => i !== 5);
      const changes = await changesOfImport(store.db, r.importId);
      t.same(changes.map((c) => c.after), expected, 'every after, points and shapes alike');
      t.ok(changes.every((c) => c.action === 'add' && c.before === null && c.validFrom === '2024-05-01T00:00:00.000Z' && c.validTo === null));
      if (factory.kind === 'geopackage') {
        const [{ n }] = await store.db.raw('SELECT count(*) AS n FROM rtree_components_geom');
        t.equal(n, components.length - 1, 'the R-tree holds every new row');
        const indexes = await store.db.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('components', 'feature_history') ORDER BY name`);
        t.ok(indexes.length >= 4, 'the deferred indexes are back');
      }
      // The stored rows carry what later imports diff against: the same file again is a no-op.
      const again = await run(file, { layer: 'components', skipInvalid: true });
      t.match(again, { state: 'unchanged', summary: { unchanged: components.length - 1 } });
    });
  });
}
