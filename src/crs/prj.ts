import { customDatum, datumFrom, withTowgs84, type Datum } from './datums.js';
import { geographicDef, mercatorDef, tmercDef, webMercatorDef, type CrsDef, type TmercParams } from './def.js';
import { epsgDef, findEpsg, gkEpsg, gkLabel, gkZone, widthOfZone } from './epsg.js';
import { child, nameOf, numbersOf, parseWkt, type WktNode } from './wkt.js';

export type { CrsDef } from './def.js';

/**
 * Map the WKT of a .prj file (ESRI or OGC WKT1, or WKT2) to a proj4 definition and a label.
 *
 * Meaning comes from the numbers, not the names: 1. unwrap compound/bound CRSs; 2. find the ellipsoid
 * (semi-major axis, inverse flattening) and let it pick the datum family, the datum name only splitting
 * families that share an ellipsoid; 3. read an explicit TOWGS84; 4. for a projected CRS, map the method
 * (Transverse Mercator / Gauss-Krüger, Mercator, Web Mercator) and its parameters; 5. name the result
 * after the EPSG code it equals (any GK zone of CGCS2000, Xi'an 1980, Beijing 1954, New Beijing is found
 * from its central meridian and false easting). Anything else — an unknown ellipsoid or method, a
 * non-Greenwich prime meridian, non-degree angles — gives null: the caller reports the WKT.
 */
export function crsFromPrj(wkt: string): CrsDef | null {
  const root = parseWkt(wkt.replace(/^\uFEFF/, ''));
  const crs = root ? unwrap(root) : null;
  if (!crs) return null;
  if (/^(GEOGCS|GEOGCRS|GEODCRS|GEOGRAPHICCRS)$/.test(crs.keyword)) return geographic(crs);
  if (/^(PROJCS|PROJCRS|PROJECTEDCRS)$/.test(crs.keyword)) return projected(crs);
  return null;
}

/** The horizontal CRS inside COMPD_CS/COMPOUNDCRS (first part) or BOUNDCRS (source CRS). */
function unwrap(node: WktNode): WktNode | null {
  if (node.keyword === 'COMPD_CS' || node.keyword === 'COMPOUNDCRS') {
    const first = node.args.find((a): a is WktNode => typeof a === 'object' && 'keyword' in a);
    return first ? unwrap(first) : null;
  }
  if (node.keyword === 'BOUNDCRS') {
    const source = child(node, 'SOURCECRS');
    const inner = source?.args.find((a): a is WktNode => typeof a === 'object' && 'keyword' in a);
    return inner ? unwrap(inner) : null;
  }
  return node;
}

const DEGREE = Math.PI / 180;

/** The datum of a geographic CRS node, or null when unknown or not Greenwich/degree based. */
function datumOf(geog: WktNode): Datum | null {
  const datumNode = child(geog, 'DATUM', 'GEODETICDATUM', 'TRF', 'ENSEMBLE');
  const spheroid = datumNode ? child(datumNode, 'SPHEROID', 'ELLIPSOID') : undefined;
  const [a, invf] = numbersOf(spheroid);
  if (a === undefined || invf === undefined) return null;
  const primem = numbersOf(child(geog, 'PRIMEM', 'PRIMEMERIDIAN'))[0] ?? 0;
  const angle = numbersOf(child(geog, 'UNIT', 'ANGLEUNIT'))[0] ?? DEGREE;
  if (primem !== 0 || Math.abs(angle - DEGREE) > 1e-12) return null;
  const towgs84 = numbersOf(datumNode ? child(datumNode, 'TOWGS84') : undefined);
  const known = datumFrom(a, invf, nameOf(datumNode));
  if (towgs84.length === 3 || towgs84.length === 7) {
    return known ? withTowgs84(known, towgs84) : customDatum(a, invf, nameOf(datumNode), towgs84);
  }
  return known;
}

const GEOGRAPHIC_EPSG: Record<string, number> = {
  wgs84: 4326, cgcs2000: 4490, xian1980: 4610, beijing1954: 4214, newbeijing: 4555, hk1980: 4611, twd97: 3824,
};

function geographic(node: WktNode): CrsDef | null {
  const datum = datumOf(node);
  if (!datum) return null;
  const code = GEOGRAPHIC_EPSG[datum.key] ?? null;
  return geographicDef(datum, (code && epsgDef(code)?.label) || nameOf(node) || datum.label, code);
}

/** Parameter names, lower-cased with separators removed, to our TM/Mercator parameter keys. */
const PARAMS: Record<string, keyof TmercParams | 'latTs'> = {
  falseeasting: 'x0', eastingatfalseorigin: 'x0',
  falsenorthing: 'y0', northingatfalseorigin: 'y0',
  centralmeridian: 'lon0', longitudeofnaturalorigin: 'lon0', longitudeofcenter: 'lon0', longitudeoforigin: 'lon0',
  latitudeoforigin: 'lat0', latitudeofnaturalorigin: 'lat0', latitudeofcenter: 'lat0',
  scalefactor: 'k', scalefactoratnaturalorigin: 'k',
  standardparallel1: 'latTs', latitudeof1ststandardparallel: 'latTs',
};

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function paramsOf(node: WktNode): TmercParams & { latTs: number } {
  const p = { lat0: 0, lon0: 0, k: 1, x0: 0, y0: 0, toMeter: 1, latTs: 0 };
  const holder = child(node, 'CONVERSION') ?? node;
  for (const param of holder.args) {
    if (typeof param !== 'object' || !('keyword' in param) || param.keyword !== 'PARAMETER') continue;
    const key = PARAMS[squash(nameOf(param))];
    const value = numbersOf(param)[0];
    if (key && value !== undefined) p[key] = value;
  }
  p.toMeter = linearUnit(node);
  return p;
}

/** Metres per unit: WKT1 puts UNIT on the PROJCS; WKT2 puts LENGTHUNIT on the CRS or on each AXIS. */
function linearUnit(node: WktNode): number {
  const direct = numbersOf(child(node, 'UNIT', 'LENGTHUNIT'))[0];
  if (direct !== undefined) return direct;
  const axis = child(node, 'AXIS');
  return numbersOf(axis ? child(axis, 'LENGTHUNIT') : undefined)[0] ?? 1;
}

function methodOf(node: WktNode): string {
  const conversion = child(node, 'CONVERSION');
  return squash(nameOf(conversion ? child(conversion, 'METHOD', 'PROJECTION') : child(node, 'PROJECTION')));
}

function projected(node: WktNode): CrsDef | null {
  const base = child(node, 'GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS');
  const datum = base ? datumOf(base) : null;
  if (!datum) return null;
  const method = methodOf(node);
  const p = paramsOf(node);
  if (/^(mercatorauxiliarysphere|popularvisualisationpseudomercator)$/.test(method)) return webMercatorDef();
  if (/^(transversemercator|gausskruger|gausskrueger)$/.test(method)) return transverse(node, datum, p);
  if (/^mercator(1sp|2sp|varianta|variantb)?$/.test(method)) {
    return isWebMercator(node) ? webMercatorDef() : mercatorDef(datum, p, nameOf(node), null);
  }
  return null;
}

/**
 * OGC WKT1 of EPSG:3857 says "Mercator_1SP" on the WGS84 ellipsoid, exactly like ellipsoidal World
 * Mercator; only its name, authority code or PROJ4 extension (+b=6378137: a sphere) tell them apart.
 */
function isWebMercator(node: WktNode): boolean {
  const ext = child(node, 'EXTENSION');
  const code = Number(child(node, 'AUTHORITY', 'ID')?.args[1]);
  return /pseudo.?mercator|web.?mercator/i.test(nameOf(node)) || code === 3857 || code === 900913
    || (nameOf(ext) === 'PROJ4' && /\+b=6378137\b/.test(String(ext?.args[1])));
}

/** A TM projection, named after its GK zone or EPSG code when it is one. */
function transverse(node: WktNode, datum: Datum, p: TmercParams): CrsDef {
  const gk = gkName(datum, p, nameOf(node));
  if (gk) return tmercDef(datum, p, gk.label, gk.epsg);
  const def = tmercDef(datum, p, nameOf(node) || 'Transverse Mercator', null);
  return findEpsg(def.proj4, sameProj4) ?? def;
}

const GK_DATUMS = new Set<string>(['cgcs2000', 'xian1980', 'beijing1954', 'newbeijing']);

/**
 * Recognise a Gauss-Krüger zone: k = 1, origin on the equator, an integer central meridian, and a false
 * easting of 500 000 m with or without the zone number in front. The name only breaks the tie between a
 * 3° and a 6° zone sharing a meridian without prefix (the two definitions are identical).
 */
function gkName(datum: Datum, p: TmercParams, name: string): { label: string; epsg: number | null } | null {
  if (!GK_DATUMS.has(datum.key) || p.k !== 1 || p.lat0 !== 0 || p.y0 !== 0 || p.toMeter !== 1) return null;
  if (!Number.isInteger(p.lon0) || p.x0 % 1_000_000 !== 500_000) return null;
  const prefix = p.x0 > 500_000;
  const zone = Math.floor(p.x0 / 1_000_000);
  const width = prefix ? widthOfZone(zone) : unprefixedWidth(name, p.lon0);
  if (!width || (prefix && gkZone(width, p.lon0) !== zone)) return null;
  // The EPSG code names datum + projection; a TOWGS84 in the .prj shows in proj4 and datumShift only.
  const epsg = datum.key === 'custom' ? null : gkEpsg(datum.key, p.lon0, prefix, width);
  return { label: gkLabel(datum, width, prefix, p.lon0), epsg };
}

/**
 * 3° or 6° for a zone without prefix, from the name: EPSG and ESRI spell 3° zones "3-degree"/"3_Degree"
 * and 6° zones plain "Gauss-Kruger"/"GK". A meridian off the 6° grid can only be 3°; no name → 3°.
 */
function unprefixedWidth(name: string, lon0: number): 3 | 6 {
  if ((lon0 - 75) % 6 !== 0 || /3[_ -]?deg|3度|三度/i.test(name)) return 3;
  return /6[_ -]?deg|6度|六度|gauss|(^|[^a-z])gk([^a-z]|$)/i.test(name) ? 6 : 3;
}

/** Compare two proj4 strings parameter by parameter, numbers to 1e-9 relative. */
export function sameProj4(a: string, b: string): boolean {
  const parse = (s: string) => new Map(s.trim().split(/\s+/).map((t): [string, string] => {
    const [k, v = ''] = t.replace(/^\+/, '').split('=');
    return [k, v];
  }));
  const ma = parse(a);
  const mb = parse(b);
  if (ma.size !== mb.size) return false;
  for (const [k, va] of ma) {
    if (!mb.has(k)) return false;
    const vb = mb.get(k);
    if (va === vb) continue;
    const na = Number(va);
    const nb = Number(vb);
    if (!Number.isFinite(na) || !Number.isFinite(nb) || Math.abs(na - nb) > 1e-9 * Math.max(1, Math.abs(na))) return false;
  }
  return true;
}
