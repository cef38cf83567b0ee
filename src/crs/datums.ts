/**
 * The geodetic datums met in Chinese (and Taiwan/Hong Kong) survey data, and how each one reaches CGCS2000.
 *
 * CGCS2000 and WGS84 differ by a few centimetres (both ITRF-aligned, ellipsoid flattenings differ in
 * the 10th digit), far below census-data accuracy, so both — and other GRS80/ITRF realisations such as
 * TWD97 — are treated as the same datum: "CGCS2000 ≈ WGS84", the common practice for this purpose.
 */

/**
 * How a datum is brought onto CGCS2000:
 * - `none`: the same datum for our purpose (WGS84, CGCS2000, TWD97): exact to centimetres;
 * - `helmert`: a published 3/7-parameter shift (EPSG or the .prj's TOWGS84): good to about a metre;
 * - `unknown`: no country-wide public shift exists (Xi'an 1980, Beijing 1954, New Beijing): lon/lat are taken
 *   across as they are (what PROJ calls a ballpark transformation), which can be off by tens of metres or
 *   more. A .prj TOWGS84 (or a proj4 string with +towgs84) from the local survey office fixes it.
 */
export type DatumShift = 'none' | 'helmert' | 'unknown';

export type DatumKey =
  | 'wgs84' | 'cgcs2000' | 'twd97' | 'grs80' | 'xian1980' | 'beijing1954' | 'newbeijing' | 'hk1980';

export interface Datum {
  /** `custom`: an ellipsoid we know with a TOWGS84 given by the .prj under a name we do not. */
  key: DatumKey | 'custom';
  /** The name used in labels, as EPSG spells it. */
  label: string;
  /** proj4 ellipsoid (and shift) parameters. */
  proj4: string;
  shift: DatumShift;
}

export const DATUMS: Readonly<Record<DatumKey, Datum>> = {
  wgs84: { key: 'wgs84', label: 'WGS 84', proj4: '+datum=WGS84', shift: 'none' },
  cgcs2000: { key: 'cgcs2000', label: 'CGCS2000', proj4: '+ellps=GRS80', shift: 'none' },
  twd97: { key: 'twd97', label: 'TWD97', proj4: '+ellps=GRS80', shift: 'none' },
  grs80: { key: 'grs80', label: 'GRS 1980', proj4: '+ellps=GRS80', shift: 'none' },
  // IAG 1975 ellipsoid; EPSG publishes no transformation from Xi'an 1980.
  xian1980: { key: 'xian1980', label: 'Xian 1980', proj4: '+a=6378140 +rf=298.257', shift: 'unknown' },
  // Krassowsky ellipsoid. EPSG's Beijing 1954 → WGS 84 shifts are regional (15921 is the Tarim basin only,
  // 15919/15920 offshore), so, like PROJ outside those areas, no shift is applied country-wide.
  beijing1954: { key: 'beijing1954', label: 'Beijing 1954', proj4: '+ellps=krass', shift: 'unknown' },
  newbeijing: { key: 'newbeijing', label: 'New Beijing', proj4: '+ellps=krass', shift: 'unknown' },
  // EPSG:1825 (Hong Kong 1980 to WGS 84 (1)), 7 parameters, ~1 m.
  hk1980: {
    key: 'hk1980',
    label: 'Hong Kong 1980',
    proj4: '+ellps=intl +towgs84=-162.619,-276.959,-161.764,0.067753,-2.243649,-1.158827,-1.094246',
    shift: 'helmert',
  },
};

/** Ellipsoids by semi-major axis and inverse flattening (WGS84 and GRS80 differ only at 1.5e-6 in 1/f). */
const ELLIPSOIDS = {
  wgs84: [6378137, 298.257223563],
  grs80: [6378137, 298.257222101],
  iag1975: [6378140, 298.257],
  krassowsky: [6378245, 298.3],
  international: [6378388, 297],
} as const;

type EllipsoidKey = keyof typeof ELLIPSOIDS;

export function ellipsoidOf(a: number, invf: number): EllipsoidKey | null {
  for (const [key, [ea, ef]] of Object.entries(ELLIPSOIDS) as Array<[EllipsoidKey, readonly [number, number]]>) {
    if (Math.abs(a - ea) < 0.5 && Math.abs(invf - ef) < 1e-7) return key;
  }
  return null;
}

/**
 * The datum of a WKT datum given its ellipsoid and name. The ellipsoid decides the family (it cannot be
 * misspelt); the name only splits datums that share one (Beijing 1954 vs New Beijing; CGCS2000 vs TWD97).
 * Null when the pair is not one we know: a guess here would silently misplace data by hundreds of metres.
 */
export function datumFrom(a: number, invf: number, name: string): Datum | null {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  switch (ellipsoidOf(a, invf)) {
    case 'wgs84': return DATUMS.wgs84;
    case 'grs80':
      if (/2000|china|cgcs/.test(n)) return DATUMS.cgcs2000;
      if (/taiwan|twd(19)?97/.test(n)) return DATUMS.twd97;
      return DATUMS.grs80;
    case 'iag1975': return /xian|xi?an|1980|80/.test(n) || n === '' ? DATUMS.xian1980 : null;
    case 'krassowsky':
      if (/newbeijing/.test(n)) return DATUMS.newbeijing;
      return /beijing|1954|54/.test(n) ? DATUMS.beijing1954 : null;
    case 'international': return /hongkong|hk1980/.test(n) ? DATUMS.hk1980 : null;
    default: return null;
  }
}

/** A datum with an explicit TOWGS84 from the WKT, which wins over the table's default. */
export function withTowgs84(datum: Datum, params: number[]): Datum {
  // Zeros on WGS84-like datums are the usual "no shift" filler; on others they mean "taken across as is".
  if (params.every((p) => p === 0) && datum.shift === 'none') return datum;
  const ellps = datum.proj4.replace(/\s*\+towgs84=\S+/, '').replace('+datum=WGS84', '+ellps=WGS84');
  if (params.every((p) => p === 0)) return { ...datum, proj4: ellps, shift: 'unknown' };
  return { ...datum, proj4: `${ellps} +towgs84=${params.join(',')}`, shift: 'helmert' };
}

/** An ellipsoid we know, under a datum with an explicit TOWGS84 but a name we do not. */
export function customDatum(a: number, invf: number, name: string, params: number[]): Datum {
  const base: Datum = { key: 'custom', label: name || 'custom datum', proj4: `+a=${a} +rf=${invf}`, shift: 'helmert' };
  return withTowgs84(base, params);
}
