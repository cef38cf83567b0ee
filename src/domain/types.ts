/**
 * Plain row types of Wanmi's layers, shared by the importers, the store, the demo city and the index.
 * Geometries are GeoJSON (RFC 7946) in CGCS2000 lon/lat (EPSG:4490): GeoJSON lives only at the edges
 * (import, store I/O, responses); the in-memory index converts it once to flat typed arrays.
 */

export type Position = [number, number];

export interface PointGeometry { type: 'Point'; coordinates: Position }
export interface MultiPointGeometry { type: 'MultiPoint'; coordinates: Position[] }
export interface LineStringGeometry { type: 'LineString'; coordinates: Position[] }
export interface MultiLineStringGeometry { type: 'MultiLineString'; coordinates: Position[][] }
export interface PolygonGeometry { type: 'Polygon'; coordinates: Position[][] }
export interface MultiPolygonGeometry { type: 'MultiPolygon'; coordinates: Position[][][] }

export type Geometry =
  | PointGeometry | MultiPointGeometry
  | LineStringGeometry | MultiLineStringGeometry
  | PolygonGeometry | MultiPolygonGeometry;

export type GeometryType = Geometry['type'];

/** Administrative levels below the city: 区县 (6-digit code), 街道/乡镇 (9), 社区/村 (12). */
export type AdminLevel = 'district' | 'street' | 'community';

export interface AdminArea {
  code: string;
  name: string;
  level: AdminLevel;
  /** Code of the enclosing area; null for a district. */
  parentCode: string | null;
  geometry: PolygonGeometry | MultiPolygonGeometry;
}

/** 单元网格: the smallest management unit, nested in one community. */
export interface Grid {
  /** 15-digit (6+3+3+3) or legacy 14-digit code. */
  code: string;
  name: string;
  communityCode: string;
  areaM2: number;
  /** ISO dates (YYYY-MM-DD); terminationDate null while the grid is current. */
  initialDate: string;
  terminationDate: string | null;
  note: string | null;
  geometry: PolygonGeometry | MultiPolygonGeometry;
}

/** 部件状态 values used by the legacy standard. */
export type ComponentState = '完好' | '破损' | '丢失' | '占用' | '废弃' | '移除';

/** 部件: a managed urban facility with an owner and a maintainer. */
export interface Component {
  /** 16-digit (6+2+2+6) or 17-digit (6+2+3+6) identifier. */
  id: string;
  /** 2-digit major class and 2- or 3-digit minor class; typeCode = major + minor. */
  major: string;
  minor: string;
  name: string;
  /** Unit codes (see Unit) of 主管部门, 权属单位, 养护单位; null when unknown (无主). */
  competentUnit: string | null;
  ownerUnit: string | null;
  maintainerUnit: string | null;
  gridCode: string | null;
  state: string;
  initialDate: string;
  changedDate: string | null;
  dataSource: string | null;
  note: string | null;
  /** Attributes the standard does not name, kept as delivered. */
  extra: Record<string, unknown>;
  geometry: Geometry;
}

/** 门牌: a house-number address point on a named road. */
export interface Address {
  id: string;
  roadName: string;
  /** House number as written, e.g. "108号" or "12-1号". */
  houseNumber: string;
  /** Numeric part of the house number, for interpolation and ordering. */
  number: number | null;
  building: string | null;
  districtCode: string;
  streetCode: string;
  communityCode: string;
  geometry: PointGeometry;
}

export interface Road {
  id: string;
  name: string;
  districtCode: string;
  geometry: LineStringGeometry | MultiLineStringGeometry;
}

/** 责任区: an area whose events go to a unit other than the territorial one (a park, a development zone). */
export interface Zone {
  id: string;
  name: string;
  kind: string;
  responsibleUnit: string;
  /**
   * Event classes the zone's unit handles inside it: type codes (4 or 5 digits) or major classes (2 digits);
   * empty means every class. Event classes only — component codes collide with event codes.
   */
  classes: string[];
  geometry: PolygonGeometry | MultiPolygonGeometry;
}

/** A department, company or office that can be responsible for something. */
export interface Unit {
  code: string;
  name: string;
  kind: string;
  contact: string | null;
}

export type ClassCategory = 'component' | 'event';

/** One row of the component/event class dictionary (GB/T 30428.2 tables, versioned). */
export interface ClassEntry {
  category: ClassCategory;
  major: string;
  minor: string;
  /** major + minor, e.g. "0101". Component and event codes collide, so category is part of the key. */
  typeCode: string;
  majorName: string;
  name: string;
  standardVersion: string;
  /** Geometry kinds allowed for components of this class. */
  geometryKinds: Array<'point' | 'line' | 'polygon'>;
  /** Default 主管部门 kind for the class (a unit kind, resolved per city). */
  defaultCompetent: string | null;
}

/** The layers the store holds, by their table names. */
export type LayerName = 'admin_areas' | 'grids' | 'components' | 'addresses' | 'roads' | 'zones';
