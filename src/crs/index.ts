import proj4 from 'proj4';
// The definition type and the CGCS2000 target.
import { CGCS2000_PROJ4, type CrsDef } from './def.js';
// EPSG codes known without a .prj.
import { epsgDef } from './epsg.js';
// The GCJ-02 / BD-09 offsets.
import { bd09ToWgs84, gcj02ToWgs84, wgs84ToBd09, wgs84ToGcj02, type LonLat } from './gcj02.js';
// .prj WKT → definition.
import { crsFromPrj } from './prj.js';

/**
 * Coordinate reference systems, pure: everything is converted into CGCS2000 lon/lat (EPSG:4490).
 *
 * CGCS2000 is computed as WGS84: the two agree to a few centimetres, below what census data can
 * resolve, and it is what Chinese GIS practice does when no official transformation is at hand.
 * Datums without a public shift (Xi'an 1980, New Beijing) are taken across unshifted; see datums.ts.
 */
export type { CrsDef } from './def.js';
export type { DatumShift } from './datums.js';
export { crsFromPrj } from './prj.js';
export { epsgDef, knownEpsgCodes } from './epsg.js';
export * from './gcj02.js';

/** The CRSs the HTTP API accepts for a point: what phones and web maps send. */
export type NamedCrs = 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09';

export type CrsSpec = CrsDef | NamedCrs | `EPSG:${number}`;

/** (x, y) in the source CRS → [lon, lat] in CGCS2000. */
export type Transform = (x: number, y: number) => LonLat;

export const NAMED_CRS_LABELS: Readonly<Record<NamedCrs, string>> = {
  wgs84: 'WGS 84',
  cgcs2000: 'China Geodetic Coordinate System 2000',
  gcj02: 'GCJ-02 (国测局坐标)',
  bd09: 'BD-09 (百度坐标)',
};

export class UnknownCrsError extends Error {
  readonly code = 'CRS_UNKNOWN';
  constructor(readonly spec: string) {
    super(`Unknown coordinate reference system: ${spec}`);
    this.name = 'UnknownCrsError';
  }
}

const identity: Transform = (x, y) => [x, y];

/**
 * Parse a CRS given by a person or a file: a named CRS (wgs84, CGCS2000, GCJ-02, bd09…), an EPSG code
 * ("EPSG:4549", "4549", "urn:ogc:def:crs:EPSG::4549"), OGC CRS84, a WKT string, or a proj4 string.
 * Returns null when it names nothing Wanmi knows.
 */
export function parseCrsSpec(text: string): CrsSpec | null {
  const t = text.trim();
  const named = t.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (named === 'wgs84' || named === 'crs84' || /ogc13crs84$/.test(named)) return 'wgs84';
  if (named === 'cgcs2000') return 'cgcs2000';
  if (named === 'gcj02') return 'gcj02';
  if (named === 'bd09' || named === 'bd09ll') return 'bd09';
  const code = /^(?:urn:ogc:def:crs:)?(?:epsg:{1,2}(?:[\d.]*:)?)?(\d{4,6})$/i.exec(t);
  if (code) return epsgDef(Number(code[1])) ? `EPSG:${Number(code[1])}` : null;
  if (/^\+proj=/.test(t)) return proj4Def(t);
  if (/^[A-Z_]+\s*[[(]/i.test(t)) return crsFromPrj(t);
  return null;
}

/** A raw proj4 string, for datums only a local survey office has parameters for. */
function proj4Def(text: string): CrsDef | null {
  try {
    proj4(text, CGCS2000_PROJ4);
  } catch {
    return null;
  }
  const geographic = /\+proj=(longlat|latlong|lonlat|latlon)\b/.test(text);
  const shift = /\+(datum=WGS84|ellps=(GRS80|WGS84))/.test(text) ? 'none' : /\+towgs84=/.test(text) ? 'helmert' : 'unknown';
  return { label: `custom: ${text}`, proj4: text, epsg: null, geographic, datumShift: shift };
}

/** The full definition behind a spec; named GCJ-02/BD-09 have none (they are offsets, not projections). */
export function defOf(spec: CrsSpec): CrsDef | null {
  if (typeof spec === 'object') return spec;
  if (spec === 'wgs84') return epsgDef(4326);
  if (spec === 'cgcs2000') return epsgDef(4490);
  if (spec === 'gcj02' || spec === 'bd09') return null;
  const def = epsgDef(Number(spec.slice(5)));
  if (!def) throw new UnknownCrsError(spec);
  return def;
}

export function labelOf(spec: CrsSpec): string {
  if (typeof spec === 'string' && spec in NAMED_CRS_LABELS) return NAMED_CRS_LABELS[spec as NamedCrs];
  return defOf(spec)!.label;
}

/** Whether coordinates in this CRS are lon/lat degrees (true for GCJ-02 and BD-09 too). */
export function isGeographic(spec: CrsSpec): boolean {
  return defOf(spec)?.geographic ?? true;
}

/**
 * A function from (x, y) in `from` to [lon, lat] in CGCS2000. Built once per source (proj4 parses its
 * definition here, not per point). WGS84 and CGCS2000 lon/lat are the identity. Points proj4 cannot
 * convert come out as [NaN, NaN] for validation to report, never as an exception mid-import.
 */
export function makeTransformer(from: CrsSpec): Transform {
  if (from === 'gcj02') return gcj02ToWgs84;
  if (from === 'bd09') return bd09ToWgs84;
  const def = defOf(from)!;
  if (def.geographic && def.datumShift === 'none') return identity;
  const converter = proj4(def.proj4, CGCS2000_PROJ4);
  return (x, y) => {
    try {
      const [lon, lat] = converter.forward([x, y]);
      return [lon, lat];
    } catch {
      return [NaN, NaN];
    }
  };
}

/** A point from a phone or web map (WGS84, GCJ-02 or BD-09) into CGCS2000. */
export function toCgcs2000(lon: number, lat: number, crs: NamedCrs): LonLat {
  if (crs === 'gcj02') return gcj02ToWgs84(lon, lat);
  if (crs === 'bd09') return bd09ToWgs84(lon, lat);
  return [lon, lat];
}

/** A CGCS2000 point into the CRS a client map draws in. */
export function fromCgcs2000(lon: number, lat: number, crs: NamedCrs): LonLat {
  if (crs === 'gcj02') return wgs84ToGcj02(lon, lat);
  if (crs === 'bd09') return wgs84ToBd09(lon, lat);
  return [lon, lat];
}
