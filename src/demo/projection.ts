import type { Position } from '../domain/types.js';

/**
 * The demo's local metric plane: metres east (x) and north (y) of a south-west origin, with the
 * metres per degree of the CGCS2000 ellipsoid taken at the centre (the longitude scale carries the
 * cos(lat) factor). The plane is affine in lon/lat, so "inside" and "left of" mean the same in
 * both; over 9 km it differs from true distances by well under 0.1 %.
 *
 * Coordinates are rounded to 7 decimals (~1 cm) once, at conversion; `snap` maps a local point to
 * the local image of its rounded lon/lat, so every later test (point in cell, clearance) runs on
 * exactly the coordinates that are published.
 */
export interface Projection {
  readonly originLon: number;
  readonly originLat: number;
  toLonLat(x: number, y: number): Position;
  toLocal(lon: number, lat: number): [number, number];
  snap(x: number, y: number): [number, number];
}

/** CGCS2000 ellipsoid: semi-major axis and first eccentricity squared (f = 1/298.257222101). */
const A = 6378137;
const E2 = (2 - 1 / 298.257222101) / 298.257222101;
const DECIMALS = 1e7;

export function round7(v: number): number {
  return Math.round(v * DECIMALS) / DECIMALS;
}

/** A plane whose extent (widthM × heightM) is centred on (centreLon, centreLat). */
export function createProjection(centreLon: number, centreLat: number, widthM: number, heightM: number): Projection {
  const phi = (centreLat * Math.PI) / 180;
  const w = 1 - E2 * Math.sin(phi) ** 2;
  // Meridian and prime-vertical radii of curvature, per degree.
  const mPerDegLat = ((Math.PI / 180) * A * (1 - E2)) / w ** 1.5;
  const mPerDegLon = ((Math.PI / 180) * A * Math.cos(phi)) / Math.sqrt(w);
  const originLon = centreLon - widthM / 2 / mPerDegLon;
  const originLat = centreLat - heightM / 2 / mPerDegLat;
  const toLonLat = (x: number, y: number): Position => [round7(originLon + x / mPerDegLon), round7(originLat + y / mPerDegLat)];
  const toLocal = (lon: number, lat: number): [number, number] => [(lon - originLon) * mPerDegLon, (lat - originLat) * mPerDegLat];
  return {
    originLon,
    originLat,
    toLonLat,
    toLocal,
    snap: (x, y) => {
      const [lon, lat] = toLonLat(x, y);
      return toLocal(lon, lat);
    },
  };
}
