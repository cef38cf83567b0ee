import type { Datum, DatumShift } from './datums.js';

/** A coordinate reference system as Wanmi uses it: a proj4 definition plus what a person needs to know. */
export interface CrsDef {
  /** EPSG-style name, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 120E". */
  label: string;
  /** proj4 definition string; x/y (or lon/lat) axis order. */
  proj4: string;
  /** The EPSG code this definition equals, when it equals one. */
  epsg: number | null;
  /** True for lon/lat degrees, false for projected metres. */
  geographic: boolean;
  /** How the datum is brought onto CGCS2000 (see datums.ts). */
  datumShift: DatumShift;
}

/** Transverse Mercator (Gauss-Krüger is TM with k = 1) parameters; lengths in metres, angles in degrees. */
export interface TmercParams {
  lat0: number;
  lon0: number;
  k: number;
  x0: number;
  y0: number;
  /** Metres per unit of the projected coordinates (1 for metres). */
  toMeter: number;
}

/** The target of every import: CGCS2000 lon/lat, computed as WGS84 (see datums.ts for why that is fine). */
export const CGCS2000_PROJ4 = '+proj=longlat +datum=WGS84 +no_defs';

function units(toMeter: number): string {
  return Math.abs(toMeter - 1) < 1e-12 ? '+units=m' : `+to_meter=${toMeter}`;
}

export function geographicDef(datum: Datum, label: string, epsg: number | null): CrsDef {
  return { label, proj4: `+proj=longlat ${datum.proj4} +no_defs`, epsg, geographic: true, datumShift: datum.shift };
}

export function tmercDef(datum: Datum, p: TmercParams, label: string, epsg: number | null): CrsDef {
  const proj4 = `+proj=tmerc +lat_0=${p.lat0} +lon_0=${p.lon0} +k=${p.k} +x_0=${p.x0} +y_0=${p.y0} ${datum.proj4} ${units(p.toMeter)} +no_defs`;
  return { label, proj4, epsg, geographic: false, datumShift: datum.shift };
}

/** Web Mercator (EPSG:3857): spherical formulas on WGS84 coordinates, whatever the WKT says about spheres. */
export function webMercatorDef(): CrsDef {
  return {
    label: 'WGS 84 / Pseudo-Mercator',
    proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
    epsg: 3857,
    geographic: false,
    datumShift: 'none',
  };
}

/** Ellipsoidal Mercator (e.g. EPSG:3395 World Mercator); `latTs` is the latitude of true scale. */
export function mercatorDef(datum: Datum, p: TmercParams & { latTs: number }, label: string, epsg: number | null): CrsDef {
  const scale = p.latTs !== 0 ? `+lat_ts=${p.latTs}` : `+k=${p.k}`;
  const proj4 = `+proj=merc +lon_0=${p.lon0} ${scale} +x_0=${p.x0} +y_0=${p.y0} ${datum.proj4} ${units(p.toMeter)} +no_defs`;
  return { label, proj4, epsg, geographic: false, datumShift: datum.shift };
}
