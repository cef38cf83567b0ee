import { DATUMS, type Datum, type DatumKey } from './datums.js';
import { geographicDef, tmercDef, webMercatorDef, type CrsDef, type TmercParams } from './def.js';

/**
 * The EPSG codes Wanmi knows without a .prj: the Gauss-Krüger zone families of CGCS2000, Xi'an 1980,
 * Beijing 1954 and New Beijing (checked against PostGIS's spatial_ref_sys in test/crs), plus the handful
 * of other CRSs Chinese, Taiwanese and Hong Kong data arrive in.
 *
 * A GK family is a run of codes, one per zone, in zone order:
 *   6° zones 13–23 → central meridians 75°E, 81°E … 135°E; 3° zones 25–45 → 75°E, 78°E … 135°E.
 * "prefix" families put the zone number in front of the false easting (zone 40 → x_0 = 40 500 000).
 */
interface GkFamily {
  datum: DatumKey;
  width: 3 | 6;
  prefix: boolean;
  /** Inclusive code ranges, concatenated in zone order (New Beijing's codes are not contiguous). */
  runs: Array<[number, number]>;
}

const GK_FAMILIES: GkFamily[] = [
  { datum: 'cgcs2000', width: 6, prefix: true, runs: [[4491, 4501]] },
  { datum: 'cgcs2000', width: 6, prefix: false, runs: [[4502, 4512]] },
  { datum: 'cgcs2000', width: 3, prefix: true, runs: [[4513, 4533]] },
  { datum: 'cgcs2000', width: 3, prefix: false, runs: [[4534, 4554]] },
  { datum: 'xian1980', width: 6, prefix: true, runs: [[2327, 2337]] },
  { datum: 'xian1980', width: 6, prefix: false, runs: [[2338, 2348]] },
  { datum: 'xian1980', width: 3, prefix: true, runs: [[2349, 2369]] },
  { datum: 'xian1980', width: 3, prefix: false, runs: [[2370, 2390]] },
  { datum: 'beijing1954', width: 6, prefix: true, runs: [[21413, 21423]] },
  // 21473–21483 are the deprecated duplicates of 21453–21463 ("Gauss-Kruger 13N"…), still met in old files.
  { datum: 'beijing1954', width: 6, prefix: false, runs: [[21453, 21463]] },
  { datum: 'beijing1954', width: 6, prefix: false, runs: [[21473, 21483]] },
  { datum: 'beijing1954', width: 3, prefix: true, runs: [[2401, 2421]] },
  { datum: 'beijing1954', width: 3, prefix: false, runs: [[2422, 2442]] },
  { datum: 'newbeijing', width: 6, prefix: true, runs: [[4568, 4578]] },
  { datum: 'newbeijing', width: 6, prefix: false, runs: [[4579, 4589]] },
  { datum: 'newbeijing', width: 3, prefix: true, runs: [[4652, 4656], [4766, 4781]] },
  { datum: 'newbeijing', width: 3, prefix: false, runs: [[4782, 4800], [4812, 4812], [4822, 4822]] },
];

const FIRST_ZONE = { 3: 25, 6: 13 } as const;
const FIRST_CM = 75;

/** Zone number of a central meridian in a zone width (6°: 117 → 20; 3°: 117 → 39). */
export function gkZone(width: 3 | 6, lon0: number): number {
  return width === 6 ? (lon0 + 3) / 6 : lon0 / 3;
}

/** EPSG-style label, e.g. "CGCS2000 / 3-degree Gauss-Kruger zone 40" or "Xian 1980 / Gauss-Kruger CM 117E". */
export function gkLabel(datum: Datum, width: 3 | 6, prefix: boolean, lon0: number): string {
  const kind = width === 3 ? '3-degree Gauss-Kruger' : 'Gauss-Kruger';
  return `${datum.label} / ${kind} ${prefix ? `zone ${gkZone(width, lon0)}` : `CM ${lon0}E`}`;
}

export function gkParams(width: 3 | 6, prefix: boolean, lon0: number): TmercParams {
  const x0 = prefix ? gkZone(width, lon0) * 1_000_000 + 500_000 : 500_000;
  return { lat0: 0, lon0, k: 1, x0, y0: 0, toMeter: 1 };
}

function codesOf(family: GkFamily): number[] {
  return family.runs.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
}

function gkDef(code: number): CrsDef | null {
  for (const family of GK_FAMILIES) {
    const index = codesOf(family).indexOf(code);
    if (index < 0) continue;
    const lon0 = FIRST_CM + family.width * index;
    const datum = DATUMS[family.datum];
    return tmercDef(datum, gkParams(family.width, family.prefix, lon0), gkLabel(datum, family.width, family.prefix, lon0), code);
  }
  return null;
}

/**
 * The EPSG code of a GK zone, or null. Without a zone prefix the 6° meridians (75, 81 … 135) are also 3°
 * meridians and both codes describe the same projection; `width` picks one, and 3° (what city surveys
 * use) is the default.
 */
export function gkEpsg(datum: DatumKey, lon0: number, prefix: boolean, width: 3 | 6): number | null {
  const family = GK_FAMILIES.find((f) => f.datum === datum && f.prefix === prefix && f.width === width);
  if (!family) return null;
  const index = (lon0 - FIRST_CM) / width;
  const codes = codesOf(family);
  return Number.isInteger(index) && index >= 0 && index < codes.length ? codes[index] : null;
}

/** Zone width implied by a prefixed zone number: 13–23 are 6° zones, 25–45 are 3° zones. */
export function widthOfZone(zone: number): 3 | 6 | null {
  if (zone >= FIRST_ZONE[6] && zone <= 23) return 6;
  if (zone >= FIRST_ZONE[3] && zone <= 45) return 3;
  return null;
}

function utmDef(code: number): CrsDef | null {
  const north = code >= 32601 && code <= 32660;
  const south = code >= 32701 && code <= 32760;
  if (!north && !south) return null;
  const zone = code % 100;
  const p: TmercParams = { lat0: 0, lon0: zone * 6 - 183, k: 0.9996, x0: 500000, y0: south ? 10000000 : 0, toMeter: 1 };
  return tmercDef(DATUMS.wgs84, p, `WGS 84 / UTM zone ${zone}${north ? 'N' : 'S'}`, code);
}

const TWD97_TM2 = (lon0: number, code: number): CrsDef =>
  tmercDef(DATUMS.twd97, { lat0: 0, lon0, k: 0.9999, x0: 250000, y0: 0, toMeter: 1 }, `TWD97 / TM2 zone ${lon0}`, code);

const OTHERS: Record<number, () => CrsDef> = {
  4326: () => geographicDef(DATUMS.wgs84, 'WGS 84', 4326),
  4490: () => geographicDef(DATUMS.cgcs2000, 'China Geodetic Coordinate System 2000', 4490),
  4610: () => geographicDef(DATUMS.xian1980, 'Xian 1980', 4610),
  4214: () => geographicDef(DATUMS.beijing1954, 'Beijing 1954', 4214),
  4555: () => geographicDef(DATUMS.newbeijing, 'New Beijing', 4555),
  4611: () => geographicDef(DATUMS.hk1980, 'Hong Kong 1980', 4611),
  3824: () => geographicDef(DATUMS.twd97, 'TWD97', 3824),
  3857: webMercatorDef,
  // Older aliases of Web Mercator still written by some tools.
  900913: webMercatorDef,
  102100: webMercatorDef,
  102113: webMercatorDef,
  3825: () => TWD97_TM2(119, 3825),
  3826: () => TWD97_TM2(121, 3826),
  2326: () => tmercDef(
    DATUMS.hk1980,
    { lat0: 22.31213333333334, lon0: 114.1785555555556, k: 1, x0: 836694.05, y0: 819069.8, toMeter: 1 },
    'Hong Kong 1980 Grid System',
    2326,
  ),
};

/** The definition of an EPSG code Wanmi knows, or null. */
export function epsgDef(code: number): CrsDef | null {
  const other = OTHERS[code];
  if (other) return other();
  return gkDef(code) ?? utmDef(code);
}

/**
 * The EPSG code of a non-GK definition (TWD97, Hong Kong 1980 Grid, UTM…), by comparing parameters:
 * ESRI .prj files carry no authority code. `same` compares two proj4 strings.
 */
export function findEpsg(proj4: string, same: (a: string, b: string) => boolean): CrsDef | null {
  const utm = Array.from({ length: 60 }, (_, i) => [32601 + i, 32701 + i]).flat();
  for (const code of [...Object.keys(OTHERS).map(Number), ...utm]) {
    const def = epsgDef(code);
    if (def && same(def.proj4, proj4)) return def;
  }
  return null;
}

/** Every EPSG code epsgDef knows, for tests and documentation. */
export function knownEpsgCodes(): number[] {
  const gk = GK_FAMILIES.flatMap(codesOf);
  const utm = Array.from({ length: 60 }, (_, i) => [32601 + i, 32701 + i]).flat();
  return [...Object.keys(OTHERS).map(Number), ...gk, ...utm].sort((a, b) => a - b);
}
