import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import {
  buildClassDictionary,
  defaultClassFile,
  entryProblem,
  loadClassDictionary,
  parseClassFile,
} from '../../src/domain/classes.js';
import { packageRoot } from '../../src/paths.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wanmi-classes-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

/** Write a dictionary file into the temp dir and return its path. */
function writeDictionary(name: string, doc: unknown): string {
  const file = path.join(tmp, name);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 1));
  return file;
}

const good = {
  category: 'component', major: '21', minor: '01', typeCode: '2101', majorName: '扩展部件类',
  name: '共享单车停放点', geometryKinds: ['polygon'], defaultCompetent: 'traffic',
};

t.test('package root and default file are found from src and from dist', async (tt) => {
  const root = packageRoot();
  tt.ok(existsSync(path.join(root, 'package.json')));
  tt.ok(existsSync(path.join(root, 'data', 'classes', 'gbt30428.2-2013.json')));
  tt.equal(defaultClassFile(), path.join(root, 'data', 'classes', 'gbt30428.2-2013.json'));
  // The compiled module lives at dist/src/domain/classes.js, which has no package.json of its own.
  const compiled = pathToFileURL(path.join(root, 'dist', 'src', 'domain', 'classes.js')).href;
  tt.equal(packageRoot(compiled), root);
  tt.throws(() => packageRoot(pathToFileURL('/no-such-dir/x/y.js').href), /No package\.json/);
});

t.test('default dictionary: GB/T 30428.2-2013, 85 component and 54 event classes', async (tt) => {
  const dict = loadClassDictionary();
  tt.same(dict.versions, ['gbt30428.2-2013']);
  tt.equal(dict.list('component').length, 85);
  tt.equal(dict.list('event').length, 54);
  tt.equal(dict.list().length, 139);
  tt.match(dict.get('component', '0102'), {
    category: 'component', major: '01', minor: '02', typeCode: '0102', name: '污水井盖',
    majorName: '公用设施类', standardVersion: 'gbt30428.2-2013', geometryKinds: ['point'],
  });
  tt.equal(dict.get('component', '0101')?.name, '上水井盖');
  // Component and event codes collide: the category is part of the key.
  tt.equal(dict.get('event', '0101')?.name, '私搭乱建');
  tt.equal(dict.get('event', '0199')?.name, '其他');
  tt.equal(dict.get('component', '0199'), undefined);
  tt.equal(dict.get('component', '2101'), undefined);
});

t.test('list is ordered by category then type code', async (tt) => {
  const all = loadClassDictionary().list();
  const keys = all.map((e) => `${e.category === 'component' ? 0 : 1}:${e.typeCode}`);
  tt.same(keys, [...keys].sort());
  tt.equal(all[0].typeCode, '0101');
  tt.equal(all[0].category, 'component');
  tt.equal(all[all.length - 1].category, 'event');
});

t.test('a later file overrides and extends by (category, typeCode)', async (tt) => {
  const city = writeDictionary('city.json', {
    version: 'suzhou-2024',
    classes: [
      good,
      { ...good, major: '01', minor: '02', typeCode: '0102', majorName: '公用设施类', name: '污水井盖(市政)',
        geometryKinds: ['point'], defaultCompetent: 'municipal_drainage' },
    ],
  });
  const dict = loadClassDictionary([defaultClassFile(), city]);
  tt.same(dict.versions, ['gbt30428.2-2013', 'suzhou-2024']);
  tt.equal(dict.list('component').length, 86, 'one new class, one replaced');
  tt.equal(dict.list('event').length, 54, 'events untouched');
  tt.match(dict.get('component', '0102'), { name: '污水井盖(市政)', defaultCompetent: 'municipal_drainage', standardVersion: 'suzhou-2024' });
  tt.match(dict.get('component', '2101'), { name: '共享单车停放点', majorName: '扩展部件类', geometryKinds: ['polygon'] });
  tt.equal(dict.get('event', '0102')?.name, '暴露垃圾', 'same type code in the other category is not overridden');
  tt.equal(dict.list('component').at(-1)?.typeCode, '2101', 'extension sorted after the standard classes');

  // Order matters: loaded first, the city file is overridden by the standard one.
  const reversed = loadClassDictionary([city, defaultClassFile()]);
  tt.equal(reversed.get('component', '0102')?.name, '污水井盖');
  tt.equal(reversed.get('component', '2101')?.name, '共享单车停放点');

  // Only the city file: the defaults are gone.
  const only = loadClassDictionary([city]);
  tt.equal(only.list().length, 2);
  tt.equal(only.get('component', '0101'), undefined);
});

t.test('3-digit minor classes for the 17-digit id form', async (tt) => {
  const file = writeDictionary('three.json', {
    version: 'new-17', classes: [{ ...good, major: '01', minor: '002', typeCode: '01002', majorName: '公用设施类', name: '污水井盖' }],
  });
  tt.equal(loadClassDictionary([file]).get('component', '01002')?.minor, '002');
});

t.test('defaultCompetent may be omitted and becomes null', async (tt) => {
  const { defaultCompetent: _omit, ...rest } = good;
  const parsed = parseClassFile(JSON.stringify({ version: 'v', classes: [rest] }), 'inline.json');
  tt.equal(parsed.entries[0].defaultCompetent, null);
});

t.test('entries are frozen so a caller cannot change shared data', async (tt) => {
  const entry = loadClassDictionary().get('component', '0101');
  tt.ok(entry && Object.isFrozen(entry));
  tt.ok(Object.isFrozen(loadClassDictionary().list()));
});

t.test('an empty file list gives an empty dictionary', async (tt) => {
  const dict = buildClassDictionary([]);
  tt.same(dict.list(), []);
  tt.same(dict.versions, []);
});

t.test('bad entries are rejected with a reason', async (tt) => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', 'x', /must be an object/],
    ['category', { ...good, category: 'part' }, /category must be "component" or "event", got "part"/],
    ['major 1 digit', { ...good, major: '1', typeCode: '101' }, /major must be 2 digits/],
    ['major 00', { ...good, major: '00', typeCode: '0001' }, /major must be 2 digits/],
    ['major number', { ...good, major: 21 }, /major must be 2 digits/],
    ['minor 4 digits', { ...good, minor: '0101', typeCode: '210101' }, /minor must be 2 or 3 digits/],
    ['minor 00', { ...good, minor: '00', typeCode: '2100' }, /minor must be 2 or 3 digits, not all zeros/],
    ['typeCode mismatch', { ...good, typeCode: '2102' }, /typeCode must be major \+ minor \("2101"\), got "2102"/],
    ['empty name', { ...good, name: '  ' }, /name must be a non-empty string/],
    ['missing majorName', { ...good, majorName: undefined }, /majorName must be a non-empty string/],
    ['geometry kind', { ...good, geometryKinds: ['area'] }, /geometryKinds must be a non-empty list of point\/line\/polygon/],
    ['no geometry kinds', { ...good, geometryKinds: [] }, /geometryKinds/],
    ['duplicate kinds', { ...good, geometryKinds: ['point', 'point'] }, /geometryKinds/],
    ['defaultCompetent', { ...good, defaultCompetent: 7 }, /defaultCompetent must be a non-empty string or null/],
  ];
  for (const [label, raw, reason] of cases) tt.match(entryProblem(raw), reason, label);
  tt.equal(entryProblem(good), null);
});

t.test('bad files throw naming the file and the entry', async (tt) => {
  const badKind = writeDictionary('bad-kind.json', { version: 'v1', classes: [good, { ...good, minor: '02', typeCode: '2102', geometryKinds: ['area'] }] });
  tt.throws(() => loadClassDictionary([defaultClassFile(), badKind]), {
    message: /bad-kind\.json, classes\[1\] \(component 2102 共享单车停放点\): geometryKinds/,
  });

  const badType = writeDictionary('bad-type.json', { version: 'v1', classes: [{ ...good, typeCode: '0101' }] });
  tt.throws(() => loadClassDictionary([badType]), { message: /bad-type\.json, classes\[0\].*typeCode must be major \+ minor/ });

  const duplicate = writeDictionary('dup.json', { version: 'v1', classes: [good, { ...good, name: '又一个' }] });
  tt.throws(() => loadClassDictionary([duplicate]), { message: /dup\.json, classes\[1\].*duplicate component 2101 in the same file/ });

  const notJson = writeDictionary('broken.json', '{"version": "v1", "classes": [');
  tt.throws(() => loadClassDictionary([notJson]), { message: /broken\.json: not valid JSON/ });

  const noVersion = writeDictionary('no-version.json', { classes: [good] });
  tt.throws(() => loadClassDictionary([noVersion]), { message: /no-version\.json: expected an object with a non-empty "version" and a "classes" array/ });

  const noClasses = writeDictionary('no-classes.json', { version: 'v1', classes: {} });
  tt.throws(() => loadClassDictionary([noClasses]), { message: /no-classes\.json: expected an object/ });

  const topArray = writeDictionary('array.json', [good]);
  tt.throws(() => loadClassDictionary([topArray]), { message: /array\.json: expected an object/ });

  const missing = path.join(tmp, 'missing.json');
  tt.throws(() => loadClassDictionary([missing]), { message: /missing\.json: cannot read/ });
});
