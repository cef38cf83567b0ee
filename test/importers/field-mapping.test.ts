import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import t from 'tap';
import {
  mapRecords, MAPPING_PROBLEMS, readSource, resolveMapping,
  type MappableLayer, type MappedRow, type RawRecord,
} from '../../importers/index.js';
import { gbk, makeShapefile, tempDir } from '../fixtures/importers/build.js';

const DATA = new URL('../../../shared/data/', import.meta.url);
const dir = tempDir();
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

async function* from(records: Array<Record<string, unknown>>): AsyncGenerator<RawRecord> {
  let row = 0;
  for (const properties of records) yield { row: ++row, geometry: { type: 'Point', coordinates: [120.1, 30.2] }, properties };
}

async function rows<L extends MappableLayer>(it: AsyncIterable<MappedRow<L>>): Promise<Array<MappedRow<L>>> {
  const out: Array<MappedRow<L>> = [];
  for await (const r of it) out.push(r);
  return out;
}

t.test('components from GB/T 30428.2 field names in a shapefile (case-insensitive, truncated names)', async (tt) => {
  const file = makeShapefile(dir, 'bj', {
    kind: 'point',
    shapes: [{ point: [120.17, 30.25] }],
    fields: [
      { name: 'OBJID', type: 'N', length: 17 }, { name: 'ObjName', type: 'C', length: 20 },
      { name: 'DeptCode1', type: 'C', length: 12 }, { name: 'DeptName1', type: 'C', length: 30 },
      { name: 'DEPTNAME2', type: 'C', length: 30 }, { name: '养护单位', type: 'C', length: 30 },
      { name: 'BGID', type: 'C', length: 15 }, { name: 'OBJSTATE', type: 'C', length: 4 },
      { name: 'ORDATE', type: 'D', length: 8 }, { name: 'CHDate', type: 'C', length: 10 },
      { name: 'DataSource', type: 'C', length: 10 }, { name: 'Note_', type: 'C', length: 20 }, { name: 'MATERIAL', type: 'C', length: 10 },
    ],
    encode: gbk,
    rows: [['3301020101000001', '窨井盖', '330102-JS', '上城区建设局', '杭州市水务集团', '上城区市政养护中心', '330102010051001', '完好', '20230115', '2023/5/6', '普查', '试点', '铸铁']],
  });
  const src = await readSource(file);
  const mapped = mapRecords('components', src.records, src.mapping, { fields: src.fields.map((f) => f.name) });
  const [r] = await rows(mapped.rows);
  tt.same(r.problems, []);
  tt.same(r.value, {
    id: '3301020101000001', major: '01', minor: '01', name: '窨井盖',
    competentUnit: '330102-JS', ownerUnit: '杭州市水务集团', maintainerUnit: '上城区市政养护中心',
    gridCode: '330102010051001', state: '完好', initialDate: '2023-01-15', changedDate: '2023-05-06',
    dataSource: '普查', note: '试点',
    extra: { DeptName1: '上城区建设局', MATERIAL: '铸铁' },
    geometry: { type: 'Point', coordinates: [120.17, 30.25] },
  });
  tt.same(mapped.report().unmapped.sort(), ['DeptName1', 'MATERIAL']);
  tt.same(mapped.report().columns.competentUnit, ['DeptCode1'], 'the code wins over the name');
});

t.test('Chinese column titles from a CSV; dates in Chinese; a 17-digit id (3-digit minor class)', async (tt) => {
  const file = join(dir, 'bj.csv');
  writeFileSync(file, '标识码,部件名称,主管部门,权属单位,养护单位,所在网格,状态,初始日期,备注,经度,纬度\n'
    + '33010202101300005,路灯,区城管局,区城管局,亮化公司,330102010051001,破损,2023年1月5日,,120.1,30.2\n');
  const src = await readSource(file);
  const [r] = await rows(mapRecords('components', src.records).rows);
  tt.match(r.value, { id: '33010202101300005', major: '02', minor: '101', name: '路灯', competentUnit: '区城管局', maintainerUnit: '亮化公司', state: '破损', initialDate: '2023-01-05', note: null, extra: {} });
});

t.test('a mapping file overrides and disables; strict mapping names missing fields', async (tt) => {
  const records = [{ 编号X: '33010201010000009', ObjName: '井盖', 名称: '别名' }];
  const mapping = { 'components id': '编号X', 'components name': null };
  const [r] = await rows(mapRecords('components', from(records), mapping).rows);
  tt.equal(r.value.id, '33010201010000009');
  tt.equal(r.value.name, '', 'name disabled');
  tt.same(r.value.extra, { ObjName: '井盖', 名称: '别名' }, 'never dropped: both go to extra');
  tt.throws(() => resolveMapping('components', ['a', 'b'], { 'components id': 'nope' }), { code: 'IMPORT_BAD_MAPPING' });
  tt.throws(() => mapRecords('components', from([]), { 'components color': 'x' }), { code: 'IMPORT_BAD_MAPPING' });
  tt.same(resolveMapping('components', ['OBJID', 'objid2'], { 'components id': 'objid' }).columns.id, 'OBJID', 'case-insensitive source names');
});

t.test('problems per row: bad date, bad number, missing id, id without a class', async (tt) => {
  const mapped = mapRecords('components', from([
    { ObjID: '33010201010000001', ORDate: '2023-02-30' },
    { ObjID: '', ObjName: 'x' },
    { ObjID: 'JG-0001' },
  ]));
  const [a, b, c] = await rows(mapped.rows);
  tt.match(a.problems, [{ code: 'MAP_BAD_DATE', field: 'initialDate', source: 'ORDate' }]);
  tt.equal(a.value.extra.ORDate, '2023-02-30', 'the unreadable value is kept');
  tt.match(b.problems, [{ code: 'MAP_REQUIRED_MISSING', field: 'id' }]);
  tt.match(c.problems, [{ code: 'MAP_CLASS_FROM_ID' }]);
  tt.same(mapped.report().problems, { MAP_BAD_DATE: 1, MAP_REQUIRED_MISSING: 1, MAP_CLASS_FROM_ID: 1 });
  const grids = await rows(mapRecords('grids', from([{ BGCODE: '330102010051001', BGNAME: '一号网格', 面积: 'abc' }])).rows);
  tt.match(grids[0], { value: { code: '330102010051001', communityCode: '330102010051', areaM2: 0 }, problems: [{ code: 'MAP_BAD_NUMBER' }] });
  for (const [k, v] of Object.entries(MAPPING_PROBLEMS)) tt.equal(k, v);
});

t.test('admin areas from the real county polygons (ADCODE99 / NAME99) and boundary codes as numbers', async (tt) => {
  const src = await readSource(new URL('cn-admin-gbk-shp/BOUNT_poly.shp', DATA).pathname);
  const mapped = mapRecords('admin_areas', src.records, {}, { fields: src.fields.map((f) => f.name) });
  const all = await rows(mapped.rows);
  tt.equal(all.length, 3407);
  const xiaoshan = all.find((r) => r.value.name === '萧山市')!;
  tt.match(xiaoshan.value, { code: '330181', level: 'district', parentCode: null });
  tt.equal(all.filter((r) => r.problems.some((p) => p.code === 'MAP_REQUIRED_MISSING')).length, 41, 'the 41 unnamed records');
  tt.same(mapped.report().columns, { code: ['ADCODE99'], name: ['NAME99'] });
  const levels = await rows(mapRecords('admin_areas', from([{ PAC: 330102010, NAME: '望江街道' }, { 代码: '330102010051000', 名称: 'x' }, { code: '330102000000', name: '上城区' }])).rows);
  tt.match(levels.map((r) => r.value), [{ code: '330102010', level: 'street', parentCode: '330102' }, { code: '330102010051000' }, { code: '330102', level: 'district' }]);
  tt.match(levels[1].problems, [{ code: 'MAP_ADMIN_LEVEL' }]);
});

t.test('addresses, roads, zones', async (tt) => {
  const [addr] = await rows(mapRecords('addresses', from([{ 门牌编码: 'A1', 街路巷名: '解放路', '门(楼)牌号': '108-2号', 楼栋: '3幢', 区县代码: 330102, 街道代码: '330102010', 社区代码: '330102010051' }])).rows);
  tt.same(addr.value, { id: 'A1', roadName: '解放路', houseNumber: '108-2号', number: 108, building: '3幢', districtCode: '330102', streetCode: '330102010', communityCode: '330102010051', geometry: addr.value.geometry });
  const [road] = await rows(mapRecords('roads', from([{ ROADID: 'R9', 道路名称: '延安路', QXDM: '330102' }])).rows);
  tt.match(road.value, { id: 'R9', name: '延安路', districtCode: '330102' });
  const [zone] = await rows(mapRecords('zones', from([{ 责任区编码: 'Z1', 责任区名称: '西湖景区', 责任区类型: '景区', 责任单位: '西湖管委会', 适用类别: '0101、0102，0203' }])).rows);
  tt.match(zone.value, { id: 'Z1', name: '西湖景区', kind: '景区', responsibleUnit: '西湖管委会', classes: ['0101', '0102', '0203'] });
});
