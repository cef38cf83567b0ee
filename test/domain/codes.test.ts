import t from 'tap';
import {
  CODE_PROBLEMS,
  checkGridCommunity,
  isDefaultComponentMajor,
  parseAdminCode,
  parseComponentId,
  parseGridCode,
  type CodeProblemCode,
  type Problem,
  type Result,
} from '../../src/domain/codes.js';

// Every problem code must be produced by at least one case below; the last test enforces it.
const seen = new Set<string>();

function expectOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.problem.code}: ${result.problem.message}`);
  return result.value;
}

/** The problem of a rejected result (null when accepted), noting its code as exercised. */
function problemOf(result: Result<unknown>): Problem | null {
  if (result.ok) return null;
  seen.add(result.problem.code);
  return result.problem;
}

/** Pattern for tt.match: the code, the blamed field when given, and a message in words. */
function bad(code: CodeProblemCode, field?: string): Record<string, unknown> {
  return field ? { code, field, message: /\S.{10,}/ } : { code, message: /\S.{10,}/ };
}

t.test('problem codes are stable strings equal to their keys', async (tt) => {
  for (const [key, value] of Object.entries(CODE_PROBLEMS)) tt.equal(value, key);
});

t.test('parseAdminCode: good codes at each level', async (tt) => {
  tt.same(expectOk(parseAdminCode('330102')), {
    code: '330102', level: 'district', countyCode: '330102', streetCode: null, communityCode: null,
  });
  tt.same(expectOk(parseAdminCode('330102010')), {
    code: '330102010', level: 'street', countyCode: '330102', streetCode: '330102010', communityCode: null,
  });
  tt.same(expectOk(parseAdminCode('330102010051')), {
    code: '330102010051', level: 'community', countyCode: '330102', streetCode: '330102010', communityCode: '330102010051',
  });
  // 东莞 has no districts: its towns hang directly under the city-level code ending in 00.
  tt.equal(expectOk(parseAdminCode('441900')).level, 'district');
  // Suffix bounds: street 001 and 599, community 601+ (merged/virtual communities) are all legal.
  tt.ok(parseAdminCode('320582001').ok);
  tt.ok(parseAdminCode('320582599').ok);
  tt.ok(parseAdminCode('330102010601').ok);
});

t.test('parseAdminCode: bad codes', async (tt) => {
  tt.match(problemOf(parseAdminCode('33010')), bad('ADMIN_CODE_FORMAT', 'code'));
  tt.match(problemOf(parseAdminCode('3301020101')), bad('ADMIN_CODE_FORMAT', 'code'));
  tt.match(problemOf(parseAdminCode('33010a')), bad('ADMIN_CODE_FORMAT', 'code'));
  tt.match(problemOf(parseAdminCode(' 330102')), bad('ADMIN_CODE_FORMAT', 'code'));
  tt.match(problemOf(parseAdminCode('３３０１０２')), bad('ADMIN_CODE_FORMAT', 'code'));
  tt.match(problemOf(parseAdminCode(330102)), bad('ADMIN_CODE_FORMAT', 'code'));
  tt.match(problemOf(parseAdminCode(null)), bad('ADMIN_CODE_FORMAT', 'code'));
  tt.match(problemOf(parseAdminCode('033010')), bad('ADMIN_CODE_FORMAT', 'countyCode'));
  tt.match(problemOf(parseAdminCode('330102000')), bad('ADMIN_CODE_RANGE', 'streetCode'));
  tt.match(problemOf(parseAdminCode('330102600')), bad('ADMIN_CODE_RANGE', 'streetCode'));
  tt.match(problemOf(parseAdminCode('330102600001')), bad('ADMIN_CODE_RANGE', 'streetCode'));
  tt.match(problemOf(parseAdminCode('330102010000')), bad('ADMIN_CODE_RANGE', 'communityCode'));
});

t.test('parseAdminCode: a long bad value is cut short in the message', async (tt) => {
  const result = parseAdminCode('9'.repeat(5000));
  tt.equal(result.ok, false);
  if (!result.ok) tt.ok(result.problem.message.length < 200);
});

t.test('parseGridCode: real 15-digit code (Suzhou 张家港)', async (tt) => {
  tt.same(expectOk(parseGridCode('320582110152102')), {
    code: '320582110152102',
    form: '15',
    countyCode: '320582',
    streetCode: '320582110',
    communityCode: '320582110152',
    sequence: '102',
  });
});

t.test('parseGridCode: legacy 14-digit form only when allowed', async (tt) => {
  tt.match(problemOf(parseGridCode('32058211015210')), bad('GRID_CODE_LEGACY', 'code'));
  tt.match(problemOf(parseGridCode('32058211015210', { allowLegacy14: false })), bad('GRID_CODE_LEGACY'));
  const legacy = expectOk(parseGridCode('32058211015210', { allowLegacy14: true }));
  tt.equal(legacy.form, '14');
  tt.equal(legacy.sequence, '10');
  tt.equal(legacy.communityCode, '320582110152');
  // The 15-digit form stays valid with the legacy switch on.
  tt.equal(expectOk(parseGridCode('320582110152102', { allowLegacy14: true })).form, '15');
});

t.test('parseGridCode: bad codes', async (tt) => {
  tt.match(problemOf(parseGridCode('32058211015210X')), bad('GRID_CODE_FORMAT', 'code'));
  tt.match(problemOf(parseGridCode('3205821101521')), bad('GRID_CODE_FORMAT'));
  tt.match(problemOf(parseGridCode('3205821101521020')), bad('GRID_CODE_FORMAT'));
  tt.match(problemOf(parseGridCode('3205821101521020', { allowLegacy14: true })), bad('GRID_CODE_FORMAT'));
  tt.match(problemOf(parseGridCode('3205821101521', { allowLegacy14: true })), bad('GRID_CODE_FORMAT'));
  tt.match(problemOf(parseGridCode(320582110152102)), bad('GRID_CODE_FORMAT'));
  tt.match(problemOf(parseGridCode(undefined)), bad('GRID_CODE_FORMAT'));
  tt.match(problemOf(parseGridCode('020582110152102')), bad('GRID_CODE_PREFIX', 'countyCode'));
  tt.match(problemOf(parseGridCode('320582000152102')), bad('GRID_CODE_PREFIX', 'streetCode'));
  tt.match(problemOf(parseGridCode('320582700152102')), bad('GRID_CODE_PREFIX', 'streetCode'));
  tt.match(problemOf(parseGridCode('320582110000102')), bad('GRID_CODE_PREFIX', 'communityCode'));
  tt.match(problemOf(parseGridCode('320582110152000')), bad('GRID_CODE_SEQUENCE_ZERO', 'sequence'));
  tt.match(problemOf(parseGridCode('32058211015200', { allowLegacy14: true })), bad('GRID_CODE_SEQUENCE_ZERO', 'sequence'));
  // Sequence 001 is the smallest real grid.
  tt.ok(parseGridCode('320582110152001').ok);
});

t.test('parseComponentId: real 16-digit ids', async (tt) => {
  // 污水井盖 in 张家港 (320582 + 01 + 02 + 048188).
  tt.same(expectOk(parseComponentId('3205820102048188')), {
    id: '3205820102048188',
    form: '16',
    countyCode: '320582',
    major: '01',
    minor: '02',
    typeCode: '0102',
    sequence: '048188',
  });
  // 上水井盖 in 姑苏区.
  const shangshui = expectOk(parseComponentId('3205080101000001'));
  tt.equal(shangshui.countyCode, '320508');
  tt.equal(shangshui.typeCode, '0101');
  tt.equal(shangshui.sequence, '000001');
});

t.test('parseComponentId: 17-digit form has a 3-digit minor', async (tt) => {
  const id = expectOk(parseComponentId('32058201002048188'));
  tt.equal(id.form, '17');
  tt.equal(id.major, '01');
  tt.equal(id.minor, '002');
  tt.equal(id.typeCode, '01002');
  tt.equal(id.sequence, '048188');
});

t.test('parseComponentId: major classes', async (tt) => {
  tt.equal(expectOk(parseComponentId('3205822101000001')).major, '21', 'extension major 21');
  tt.ok(parseComponentId('3205820601000001').ok, 'major 06');
  tt.match(problemOf(parseComponentId('3205820701000001')), bad('COMPONENT_ID_MAJOR', 'major'));
  tt.match(problemOf(parseComponentId('3205822001000001')), bad('COMPONENT_ID_MAJOR', 'major'));
  tt.match(problemOf(parseComponentId('3205820001000001')), bad('COMPONENT_ID_MAJOR', 'major'));
  tt.same(['00', '01', '06', '07', '20', '21', '99'].map(isDefaultComponentMajor), [false, true, true, false, false, true, true]);
});

t.test('parseComponentId: the accepted major set is a parameter', async (tt) => {
  const onlyStandard = { majors: new Set(['01', '02', '03', '04', '05', '06']) };
  tt.ok(parseComponentId('3205820102048188', onlyStandard).ok);
  tt.match(problemOf(parseComponentId('3205822101000001', onlyStandard)), bad('COMPONENT_ID_MAJOR'));
  const withSeven = { majors: (major: string) => major === '07' };
  tt.ok(parseComponentId('3205820701000001', withSeven).ok);
  tt.match(problemOf(parseComponentId('3205820102048188', withSeven)), bad('COMPONENT_ID_MAJOR'));
});

t.test('parseComponentId: bad ids', async (tt) => {
  tt.match(problemOf(parseComponentId('320582010204818')), bad('COMPONENT_ID_FORMAT', 'id'));
  tt.match(problemOf(parseComponentId('320582010204818812')), bad('COMPONENT_ID_FORMAT', 'id'));
  tt.match(problemOf(parseComponentId('32058201020481 8')), bad('COMPONENT_ID_FORMAT', 'id'));
  tt.match(problemOf(parseComponentId(3205820102048188)), bad('COMPONENT_ID_FORMAT', 'id'));
  tt.match(problemOf(parseComponentId('0205820102048188')), bad('COMPONENT_ID_PREFIX', 'countyCode'));
  tt.match(problemOf(parseComponentId('3205820100048188')), bad('COMPONENT_ID_MINOR', 'minor'));
  tt.match(problemOf(parseComponentId('32058201000048188')), bad('COMPONENT_ID_MINOR', 'minor'));
  tt.match(problemOf(parseComponentId('3205820102000000')), bad('COMPONENT_ID_SEQUENCE_ZERO', 'sequence'));
  tt.match(problemOf(parseComponentId('32058201002000000')), bad('COMPONENT_ID_SEQUENCE_ZERO', 'sequence'));
});

t.test('checkGridCommunity', async (tt) => {
  tt.equal(expectOk(checkGridCommunity('320582110152102', '320582110152')).sequence, '102');
  tt.ok(checkGridCommunity('32058211015210', '320582110152', { allowLegacy14: true }).ok);
  tt.match(problemOf(checkGridCommunity('320582110152102', '320582110153')), bad('GRID_COMMUNITY_MISMATCH', 'communityCode'));
  tt.match(problemOf(checkGridCommunity('320582110152102', '330102010051')), bad('GRID_COMMUNITY_MISMATCH'));
  // A street code is not a community code, even though it is a prefix of the grid code.
  tt.match(problemOf(checkGridCommunity('320582110152102', '320582110')), bad('ADMIN_CODE_FORMAT', 'communityCode'));
  tt.match(problemOf(checkGridCommunity('320582110152102', '32058211015')), bad('ADMIN_CODE_FORMAT', 'communityCode'));
  // A malformed community keeps its own problem code, blamed on the communityCode argument.
  tt.match(problemOf(checkGridCommunity('320582110152102', '320582110000')), bad('ADMIN_CODE_RANGE', 'communityCode'));
  // A bad grid code is reported as such, before the community is looked at.
  tt.match(problemOf(checkGridCommunity('320582110152000', '320582110152')), bad('GRID_CODE_SEQUENCE_ZERO'));
  tt.match(problemOf(checkGridCommunity('32058211015210', '320582110152')), bad('GRID_CODE_LEGACY'));
});

t.test('every format problem code is exercised above', async (tt) => {
  tt.same([...seen].sort(), Object.values(CODE_PROBLEMS).sort());
});
