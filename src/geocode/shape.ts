import { fromCgcs2000, type NamedCrs } from '../crs/index.js';
import type { ForwardState } from './geocoder.js';
import type { ParsedAddress } from './parse.js';
import { GEOCODE_LEVELS, type GeocodeResult } from './result.js';

/**
 * Stage 5: results as a GeoJSON FeatureCollection echoing the cleaned query (as Pelias does), with
 * coordinates in the CRS the client asked for: CGCS2000 by default (WGS 84 within a metre of it),
 * GCJ-02 or BD-09 for clients drawing on AMap or Baidu base maps.
 */
export const OUTPUT_CRS_LABEL: Readonly<Record<NamedCrs, string>> = {
  cgcs2000: 'EPSG:4490', wgs84: 'EPSG:4326', gcj02: 'GCJ-02', bd09: 'BD-09',
};

export interface ShapeOptions {
  crs: NamedCrs;
  dataVersion: number;
}

export function toPosition(lon: number, lat: number, crs: NamedCrs): [number, number] {
  if (crs === 'cgcs2000' || crs === 'wgs84') return [round7(lon), round7(lat)];
  const [x, y] = fromCgcs2000(lon, lat, crs);
  return [round7(x), round7(y)];
}

export function shapeFeature(r: GeocodeResult, crs: NamedCrs) {
  const { lon, lat, ...properties } = r;
  return {
    type: 'Feature' as const,
    geometry: { type: 'Point' as const, coordinates: toPosition(lon, lat, crs) },
    properties: { ...properties, levelRank: GEOCODE_LEVELS[r.level] },
  };
}

export function shapeForward(s: ForwardState, opts: ShapeOptions) {
  return {
    type: 'FeatureCollection' as const,
    crs: OUTPUT_CRS_LABEL[opts.crs],
    geocoding: {
      query: { text: s.query.text, cleaned: s.cleaned, traditional: s.hadTraditional, parsed: parsedEcho(s.parsed) },
      reason: s.reason,
      dataVersion: opts.dataVersion,
    },
    features: s.results.map((r) => shapeFeature(r, opts.crs)),
  };
}

/** The parsed levels as names (full names, with what was typed when it differed). */
export function parsedEcho(p: ParsedAddress): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const level of ['province', 'city', 'district', 'street', 'community', 'road', 'crossRoad', 'place'] as const) {
    const m = p[level];
    if (m) out[level] = m.text === m.name ? m.name : { name: m.name, typed: m.text };
  }
  if (p.houseNumber) out.houseNumber = `${p.houseNumber.text}号`;
  if (p.building) out.building = p.building;
  if (p.unit) out.unit = `${p.unit}单元`;
  if (p.floor) out.floor = `${p.floor}层`;
  if (p.room) out.room = `${p.room}室`;
  if (p.leftover.length) out.leftover = p.leftover;
  return out;
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}
