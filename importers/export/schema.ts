import type { Geometry } from '../../src/domain/types.js';
import type { ImportLayerName, StoredFeature } from '../import-layers.js';

/**
 * The attribute table each layer is exported with, in every format: census field names (GB/T 30428.2's
 * ObjID, DeptCode1, BGID…, and the usual pinyin abbreviations 门牌 and road data use: DZBM, JLXMC, MPH…),
 * each ≤ 10 ASCII bytes so a shapefile keeps them whole, and each one an alias field-aliases.ts
 * recognises for the right target — an export re-imports with no mapping file (a test checks this).
 * Derived fields (a component's major/minor class, an admin area's level and parent) are left out: the
 * importer derives them again from the code.
 */
export type FieldKind = 'text' | 'date' | 'number';

export interface ExportField {
  name: string;
  kind: FieldKind;
  value(f: StoredFeature): unknown;
}

const text = (name: string, key: string): ExportField => ({ name, kind: 'text', value: (f) => f[key] ?? null });
const date = (name: string, key: string): ExportField => ({ name, kind: 'date', value: (f) => f[key] ?? null });
const number = (name: string, key: string): ExportField => ({ name, kind: 'number', value: (f) => f[key] ?? null });

export const EXPORT_FIELDS: Record<ImportLayerName, readonly ExportField[]> = {
  components: [
    text('ObjID', 'id'), text('ObjName', 'name'), text('DeptCode1', 'competentUnit'), text('DeptCode2', 'ownerUnit'),
    text('DeptCode3', 'maintainerUnit'), text('BGID', 'gridCode'), text('ObjState', 'state'), date('ORDate', 'initialDate'),
    date('CHDate', 'changedDate'), text('DataSource', 'dataSource'), text('Note', 'note'),
  ],
  grids: [
    text('BGCODE', 'code'), text('BGNAME', 'name'), text('SQDM', 'communityCode'), number('BGAREA', 'areaM2'),
    date('ORDATE', 'initialDate'), date('TERDATE', 'terminationDate'), text('NOTE', 'note'),
  ],
  admin: [text('XZQDM', 'code'), text('XZQMC', 'name')],
  addresses: [
    text('DZBM', 'id'), text('JLXMC', 'roadName'), text('MPH', 'houseNumber'), text('BUILDING', 'building'),
    text('QXDM', 'districtCode'), text('JDDM', 'streetCode'), text('SQDM', 'communityCode'),
  ],
  roads: [text('DLBM', 'id'), text('DLMC', 'name'), text('QXDM', 'districtCode')],
  zones: [
    text('ZONEID', 'id'), text('NAME', 'name'), text('KIND', 'kind'), text('ZRDW', 'responsibleUnit'),
    { name: 'CLASSES', kind: 'text', value: (f) => ((f.classes as string[] | undefined)?.length ? (f.classes as string[]).join(',') : null) },
  ],
};

/** Shapefiles hold one geometry family per file; a mixed layer (components) is split by family. */
export type Family = 'point' | 'multipoint' | 'line' | 'polygon';

export function familyOf(g: Geometry): Family {
  switch (g.type) {
    case 'Point': return 'point';
    case 'MultiPoint': return 'multipoint';
    case 'LineString': case 'MultiLineString': return 'line';
    case 'Polygon': case 'MultiPolygon': return 'polygon';
  }
}
