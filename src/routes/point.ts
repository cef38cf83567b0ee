import { Type } from 'typebox';
import { toCgcs2000, type NamedCrs } from '../crs/index.js';

/**
 * The point parameters every point endpoint takes: named lon/lat, plus the CRS they are in. Phones send
 * GCJ-02 (AMap, Tencent) or BD-09 (Baidu); Wanmi converts on input and answers in CGCS2000.
 */
export const INPUT_CRS = ['cgcs2000', 'wgs84', 'gcj02', 'bd09'] as const;

export const PointQuery = {
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude in degrees, in `crs`' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude in degrees, in `crs`' }),
  crs: Type.Optional(Type.Union(INPUT_CRS.map((c) => Type.Literal(c)), {
    default: 'cgcs2000', description: 'CRS of lon/lat: cgcs2000 (EPSG:4490, default), wgs84, gcj02 (AMap/Tencent), bd09 (Baidu)',
  })),
};

export const InputPointSchema = Type.Object({
  lon: Type.Number(), lat: Type.Number(), crs: Type.String({ description: 'CRS of the point as given' }),
});

export interface ParsedPoint {
  /** CGCS2000 lon/lat used for every lookup. */
  lon: number;
  lat: number;
  /** The point as the client sent it. */
  input: { lon: number; lat: number; crs: string };
}

export function parsePoint(q: { lon: number; lat: number; crs?: string }): ParsedPoint {
  const crs = (q.crs ?? 'cgcs2000') as NamedCrs;
  const input = { lon: q.lon, lat: q.lat, crs };
  // CGCS2000 and WGS84 differ by centimetres, below the precision of the data: no conversion.
  if (crs === 'cgcs2000' || crs === 'wgs84') return { lon: q.lon, lat: q.lat, input };
  const [lon, lat] = toCgcs2000(q.lon, q.lat, crs);
  return { lon, lat, input };
}

/**
 * Content type of JSON text a route writes itself. Fastify sends a string with a JSON content type as
 * is, skipping the response serialiser; the route's response schema still documents the body.
 */
export const JSON_TYPE = 'application/json; charset=utf-8';
