import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { openStore } from '../../src/store/connect.js';
import { importCommand, parseSeverity, validateCommand, type CommandIo } from '../../importers/cli-commands.js';
import { componentFeature, demo, gridFeature, tmpDir, writeGeoJSON } from '../helpers/census-fixtures.js';

// `wanmi validate` and `wanmi import`: exit codes, the readable summary, --json, stable error codes.
const { city } = demo();
const sample = city.components.slice(0, 300);

function io(dir: string | null): CommandIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines, errors,
    openStore: async () => (dir ? openStore({ kind: 'geopackage', file: path.join(dir, 'cli.gpkg') }) : null),
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
  };
}

t.test('validate: 0 for a clean file, 2 for errors; --json is the whole report', async (t) => {
  const dir = tmpDir(t);
  const clean = writeGeoJSON(dir, 'clean.geojson', sample.map((c) => componentFeature(c)));
  const ok = io(null);
  t.equal(await validateCommand(clean, { layer: 'components' }, ok), 0);
  t.match(ok.lines.join('\n'), /components: 300 rows — OK: 0 with errors/);
  t.match(ok.lines.join('\n'), /not checked \(COMPONENT_OUTSIDE_GRID\)/);
  const bad = writeGeoJSON(dir, 'bad.geojson', sample.map((c, i) => componentFeature(c, i === 7 ? { ObjID: '1' } : {})));
  const json = io(null);
  t.equal(await validateCommand(bad, { layer: 'components', json: true }, json), 2);
  const parsed = JSON.parse(json.lines.join('\n'));
  t.match(parsed, { source: { format: 'geojson' }, report: { verdict: 'rejected', problems: [{ row: 8, code: 'COMPONENT_ID_FORMAT' }] } });
});

t.test('import: summary, no-op re-import, rejection, stable error codes', async (t) => {
  const dir = tmpDir(t);
  const grids = writeGeoJSON(dir, 'grids.geojson', city.grids.map((g) => gridFeature(g)));
  const first = io(dir);
  t.equal(await importCommand(grids, { layer: 'grids' }, first), 0);
  t.match(first.lines.join('\n'), new RegExp(`applied to grids \\(replace\\)\\n  added ${city.grids.length}, changed 0, retired 0, unchanged 0, skipped 0; data version 1`));
  const again = io(dir);
  t.equal(await importCommand(grids, { layer: 'grids' }, again), 0);
  t.match(again.lines.join('\n'), /nothing to change in grids/);
  const bad = writeGeoJSON(dir, 'bad.geojson', sample.map((c, i) => componentFeature(c, i === 7 ? { BGID: city.grids[0].code } : {})));
  const rejected = io(dir);
  t.equal(await importCommand(bad, { layer: 'components' }, rejected), 2);
  t.match(rejected.lines.join('\n'), /COMPONENT_OUTSIDE_GRID[\s\S]*REJECTED: nothing was written/);
  const skipped = io(dir);
  t.equal(await importCommand(bad, { layer: 'components', skipInvalid: true }, skipped), 0);
  t.match(skipped.lines.join('\n'), /added 299, .* skipped 1[\s\S]*skipped rows: 8/);
  const unknown = io(dir);
  t.equal(await importCommand(bad, { layer: 'trees' }, unknown), 1);
  t.match(unknown.errors, [/^wanmi: WANMI_IMPORT_UNKNOWN_LAYER: /]);
  const missing = io(dir);
  t.equal(await importCommand(path.join(dir, 'nope.shp'), { layer: 'grids' }, missing), 1);
  t.match(missing.errors, [/^wanmi: WANMI_IMPORT_NOT_FOUND: /]);
});

t.test('--severity parses CODE=level lists and refuses anything else', async (t) => {
  t.same(parseSeverity('GRID_GAP=error, ADMIN_UNKNOWN_STREET=warning'), { GRID_GAP: 'error', ADMIN_UNKNOWN_STREET: 'warning' });
  t.throws(() => parseSeverity('GRID_GAP=fatal'), { code: 'IMPORT_BAD_OPTION' });
  const e = io(null);
  t.equal(await validateCommand('x.geojson', { layer: 'grids', severity: 'GRID_GAP' }, e), 1);
  t.match(e.errors, [/WANMI_IMPORT_BAD_OPTION/]);
});

t.test('the real command: exit status and no stack trace for an expected error', async (t) => {
  const dir = tmpDir(t);
  const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
  const run = promisify(execFile);
  const env = { ...process.env, WANMI_DATA: path.join(dir, 'none.gpkg') };
  const result = await run(process.execPath, ['--import', 'tsx', cli, 'validate', path.join(dir, 'missing.geojson'), '--layer', 'grids'], { env }).catch((e) => e);
  t.equal(result.code, 1);
  t.match(result.stderr, /^wanmi: WANMI_IMPORT_NOT_FOUND: .*\n$/);
  t.notMatch(result.stderr, /\n\s+at /, 'no stack trace');
  const file = writeGeoJSON(dir, 'bad.geojson', sample.slice(0, 5).map((c, i) => componentFeature(c, i === 1 ? { ObjID: '1' } : {})));
  const rejected = await run(process.execPath, ['--import', 'tsx', cli, 'validate', file, '--layer', 'components'], { env }).catch((e) => e);
  t.equal(rejected.code, 2);
  t.match(rejected.stdout, /REJECTED/);
});
