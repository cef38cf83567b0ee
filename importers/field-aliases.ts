/**
 * The field names census deliveries use for each target field of Wanmi's layers: the GB/T 30428.2
 * attribute names (ObjID, DeptCode1, BGID, ORDate…), their usual Chinese column titles, and common
 * variants. Matching is on `squash`ed names: case-insensitive, separators and bracketed notes removed,
 * so "Note_", "NOTE" and "note" are one name, and "门(楼)牌号" is "门牌号".
 *
 * Order matters: the first alias present in a record wins, so codes come before names (DeptCode1 before
 * DeptName1) — the loser is not dropped, it goes to `extra`.
 */
export type Conversion = 'text' | 'code' | 'date' | 'number' | 'list';

export interface TargetField {
  aliases: Array<string | RegExp>;
  conversion: Conversion;
  required?: boolean;
}

export const squash = (name: string): string =>
  name.toLowerCase().replace(/\(.*?\)|（.*?）/g, '').replace(/[\s_\-.:/]+/g, '');

const NOTE: TargetField = { aliases: ['note', '备注', 'remark', 'remarks', 'bz', 'memo'], conversion: 'text' };
const INITIAL: TargetField = { aliases: ['ordate', '初始日期', '设立日期', '建立日期', 'initialdate', 'initdate'], conversion: 'date' };

export const TARGETS = {
  components: {
    id: { aliases: ['objid', 'objcode', 'bsm', '标识码', '部件标识码', '部件编码', '部件编号', '部件代码', 'componentid'], conversion: 'code', required: true },
    name: { aliases: ['objname', '部件名称', '名称', 'name', 'mc'], conversion: 'text' },
    competentUnit: { aliases: ['deptcode1', '主管部门代码', '主管部门编码', 'deptname1', '主管部门', '主管单位'], conversion: 'text' },
    ownerUnit: { aliases: ['deptcode2', '权属单位代码', '权属单位编码', 'deptname2', '权属单位', '权属部门'], conversion: 'text' },
    maintainerUnit: { aliases: ['deptcode3', '养护单位代码', '养护单位编码', 'deptname3', '养护单位', '维护单位'], conversion: 'text' },
    gridCode: { aliases: ['bgid', 'bgcode', '所在网格', '所在单元网格', '单元网格', '网格编码', '网格代码', 'gridcode', 'gridid'], conversion: 'code' },
    state: { aliases: ['objstate', '部件状态', '状态', 'state', 'zt'], conversion: 'text' },
    initialDate: INITIAL,
    changedDate: { aliases: ['chdate', '变更日期', '修改日期', 'changeddate', 'changedate'], conversion: 'date' },
    dataSource: { aliases: ['datasource', '数据来源', '数据源'], conversion: 'text' },
    note: NOTE,
  },
  grids: {
    code: { aliases: ['bgcode', 'bgid', '网格编码', '单元网格编码', '网格代码', '网格标识码', 'gridcode', 'code', '编码'], conversion: 'code', required: true },
    name: { aliases: ['bgname', '网格名称', '单元网格名称', 'name', '名称'], conversion: 'text' },
    communityCode: { aliases: ['communitycode', '社区代码', '社区编码', '所属社区', 'sqcode', 'sqdm', 'cmcode'], conversion: 'code' },
    areaM2: { aliases: ['bgarea', '网格面积', '面积', 'aream2', 'area'], conversion: 'number' },
    initialDate: INITIAL,
    terminationDate: { aliases: ['terdate', '终止日期', '注销日期', 'terminationdate', 'enddate'], conversion: 'date' },
    note: NOTE,
  },
  admin_areas: {
    code: { aliases: ['code', '行政区划代码', '区划代码', '代码', '编码', 'xzqdm', 'xzqhdm', 'adcode', /^adcode\d+$/, 'pac'], conversion: 'code', required: true },
    name: { aliases: ['name', '行政区划名称', '区划名称', '名称', 'xzqmc', /^name\d+$/], conversion: 'text', required: true },
  },
  addresses: {
    id: { aliases: ['id', '门牌编码', '地址编码', 'dzbm', 'mpbm', 'addrid', 'addressid'], conversion: 'code' },
    roadName: { aliases: ['roadname', '街路巷名', '街路巷名称', '街路巷', '道路名称', '路名', 'jlxmc', 'road'], conversion: 'text', required: true },
    houseNumber: { aliases: ['housenumber', '门牌号', '门楼牌号', '门牌', 'mph', 'mlph'], conversion: 'text', required: true },
    building: { aliases: ['building', '楼栋', '楼号', '幢号', '楼栋号'], conversion: 'text' },
    districtCode: { aliases: ['districtcode', '区县代码', '区县编码', 'qxdm'], conversion: 'code' },
    streetCode: { aliases: ['streetcode', '街道代码', '乡镇街道代码', '街道编码', 'jddm'], conversion: 'code' },
    communityCode: { aliases: ['communitycode', '社区代码', '社区编码', 'sqdm'], conversion: 'code' },
  },
  roads: {
    id: { aliases: ['id', 'roadid', '道路编码', '道路代码', 'dlbm', 'code'], conversion: 'code' },
    name: { aliases: ['name', 'roadname', '道路名称', '路名', '名称', 'dlmc'], conversion: 'text', required: true },
    districtCode: { aliases: ['districtcode', '区县代码', '区县编码', 'qxdm'], conversion: 'code' },
  },
  zones: {
    id: { aliases: ['id', 'zoneid', '责任区编码', '编码', 'code'], conversion: 'code' },
    name: { aliases: ['name', '责任区名称', '名称'], conversion: 'text', required: true },
    kind: { aliases: ['kind', '责任区类型', '类型', 'type', 'lx'], conversion: 'text' },
    responsibleUnit: { aliases: ['responsibleunit', '责任单位', '责任部门', 'zrdw', 'unit'], conversion: 'text' },
    classes: { aliases: ['classes', '适用类别', '类别', '部件类别'], conversion: 'list' },
  },
} as const satisfies Record<string, Record<string, TargetField>>;

export type MappableLayer = keyof typeof TARGETS;

export function targetsOf(layer: MappableLayer): Record<string, TargetField> {
  return TARGETS[layer] as Record<string, TargetField>;
}
