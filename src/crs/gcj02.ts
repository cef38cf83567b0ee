/**
 * The Chinese map offsets: GCJ-02 (国测局坐标, used by Amap/Tencent/Google China and phone SDKs) and
 * BD-09 (百度坐标). Both are published reverse-engineered formulas (eviltransform, gcoord, coordtransform),
 * not projections: forward is a closed formula, the inverse is not, so we invert by iteration.
 *
 * Coordinates are [lon, lat] in degrees. WGS84 here also stands for CGCS2000 (they agree at the
 * centimetre level, far below the offsets' own ~0.5 m noise).
 */

/** Krasovsky 1940 ellipsoid, which the GCJ-02 formula uses. */
const A = 6378245.0;
const EE = 0.00669342162296594323;
const X_PI = (Math.PI * 3000.0) / 180.0;

/** Stop iterating when the step is below this (degrees); 1e-9° ≈ 0.1 mm. */
const EPS = 1e-9;
const MAX_ITER = 30;

export type LonLat = [number, number];

/**
 * The rectangle the published algorithms treat as "China": outside it GCJ-02 equals WGS84.
 * (It is a crude box — it includes Korea and Japan's west — but matching it is what keeps us compatible.)
 */
export function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function transformLon(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** The GCJ-02 offset (degrees) at a WGS84 point, without the out-of-China test. */
function gcjOffset(lon: number, lat: number): LonLat {
  const dLat0 = transformLat(lon - 105.0, lat - 35.0);
  const dLon0 = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  const s = Math.sin(radLat);
  const magic = 1 - EE * s * s;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (dLat0 * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (dLon0 * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [dLon, dLat];
}

export function wgs84ToGcj02(lon: number, lat: number): LonLat {
  if (outOfChina(lon, lat)) return [lon, lat];
  const [dLon, dLat] = gcjOffset(lon, lat);
  return [lon + dLon, lat + dLat];
}

/**
 * GCJ-02 → WGS84 by fixed-point iteration, not the one-step approximation (which is off by up to ~2 m):
 * 1. start from w = g − offset(g); 2. repeat w ← w + (g − forward(w)) until the step is < 1e-9°.
 * The forward map is a small smooth perturbation of the identity, so this converges in 2–4 steps.
 */
export function gcj02ToWgs84(lon: number, lat: number): LonLat {
  if (outOfChina(lon, lat)) return [lon, lat];
  return invert(lon, lat, (x, y) => {
    const [dx, dy] = gcjOffset(x, y);
    return [x + dx, y + dy];
  });
}

/** The published GCJ-02 → BD-09 formula (a polar-coordinate wobble plus a fixed shift). */
export function gcj02ToBd09(lon: number, lat: number): LonLat {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/**
 * BD-09 → GCJ-02: the published closed-form inverse (good to ~1e-6°), refined by the same iteration
 * as GCJ-02 so that a round trip returns the input to 1e-9°.
 */
export function bd09ToGcj02(lon: number, lat: number): LonLat {
  const x = lon - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  const start: LonLat = [z * Math.cos(theta), z * Math.sin(theta)];
  return invert(lon, lat, gcj02ToBd09, start);
}

export function wgs84ToBd09(lon: number, lat: number): LonLat {
  const [gLon, gLat] = wgs84ToGcj02(lon, lat);
  return gcj02ToBd09(gLon, gLat);
}

export function bd09ToWgs84(lon: number, lat: number): LonLat {
  const [gLon, gLat] = bd09ToGcj02(lon, lat);
  return gcj02ToWgs84(gLon, gLat);
}

/** Solve forward(w) = target for w, starting at `start` (default: target minus the offset there). */
function invert(
  lon: number,
  lat: number,
  forward: (x: number, y: number) => LonLat,
  start?: LonLat,
): LonLat {
  let [x, y] = start ?? [2 * lon - forward(lon, lat)[0], 2 * lat - forward(lon, lat)[1]];
  for (let i = 0; i < MAX_ITER; i++) {
    const [fx, fy] = forward(x, y);
    const dx = lon - fx;
    const dy = lat - fy;
    x += dx;
    y += dy;
    if (Math.abs(dx) < EPS && Math.abs(dy) < EPS) break;
  }
  return [x, y];
}
