import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DEFAULT_REVERSE_RADIUS_M, MAX_REVERSE_RADIUS_M, type ReverseResult } from '../geocode/index.js';
import { OUTPUT_CRS_LABEL, toPosition } from '../geocode/shape.js';
import { territorialUnits } from '../ownership/resolve.js';
import type { CityIndex } from '../index/city-index.js';
import type { NamedCrs } from '../crs/index.js';
import { WanmiErrors } from '../errors.js';
import { PointQuery, InputPointSchema, parsePoint, type ParsedPoint } from './point.js';
import { ReverseBody } from './geocode-schemas.js';
import { acceptCsvBodies, batchList, batchResponse } from './batch-body.js';
import { ClassParam, ResponsibleUnitSchema, ownershipAt } from './ownership.js';

export const MAX_REVERSE_BATCH = 10_000;

const RadiusParam = Type.Optional(Type.Number({
  minimum: 1, maximum: MAX_REVERSE_RADIUS_M, default: DEFAULT_REVERSE_RADIUS_M,
  description: `Search radius in metres for the nearest house number, road and place (at most ${MAX_REVERSE_RADIUS_M})`,
}));

const ReverseResponse = Type.Object({
  lon: Type.Number(), lat: Type.Number(),
  crs: Type.String({ description: 'CRS of every coordinate in the response (the CRS the point was sent in)' }),
  input: InputPointSchema,
  ...ReverseBody,
  responsible: Type.Array(ResponsibleUnitSchema, { description: 'From the ownership engine: the territorial units, or the full event answer when class is given' }),
  dataVersion: Type.Integer(),
});

/** Reverse geocoding: GET /v1/reverse and POST /v1/reverse/batch. */
export const reverseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptCsvBodies(app);

  app.get('/v1/reverse', {
    schema: {
      summary: 'Point → formatted address, nearest house number with 方位, road, place, grid and responsible units',
      tags: ['geocoding'],
      querystring: Type.Object({ ...PointQuery, radius: RadiusParam, class: Type.Optional(ClassParam) }),
      response: { 200: ReverseResponse, 400: { $ref: 'WanmiError#' }, 404: { $ref: 'WanmiError#' } },
    },
  }, async (req) => {
    const p = parsePoint(req.query);
    const answer = reverseAt(app.wanmi.index.current, p, req.query.radius, req.query.class);
    if (!answer) throw new WanmiErrors.OutsideArea(p.input.lon, p.input.lat);
    return answer;
  });

  app.post('/v1/reverse/batch', {
    schema: {
      summary: `Reverse geocode up to ${MAX_REVERSE_BATCH} points; results in order, with per-item errors`,
      description: 'Body: a JSON array of {lon, lat, id?}, {"items": [...]}, or CSV with lon, lat (and id) columns. crs applies to every point and to the answers.',
      tags: ['geocoding', 'batch'],
      querystring: Type.Object({ crs: PointQuery.crs, radius: RadiusParam }),
      body: Type.Unknown(),
      response: {
        200: batchResponse({ result: Type.Optional(ReverseResponse) }),
        400: { $ref: 'WanmiError#' }, 413: { $ref: 'WanmiError#' },
      },
    },
  }, async (req) => {
    const index = app.wanmi.index.current;
    const crs = (req.query.crs ?? 'cgcs2000') as NamedCrs;
    const results = pointItems(req.body).map((item, i) => {
      const id = item.id === undefined || item.id === '' ? {} : { id: String(item.id) };
      const lon = Number(item.lon);
      const lat = Number(item.lat);
      if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) || item.lon === '' || item.lat === '') {
        return { index: i, ...id, error: { code: 'WANMI_BAD_COORDINATES', message: 'lon must be in [-180, 180] and lat in [-90, 90]', field: 'lon' } };
      }
      const result = reverseAt(index, parsePoint({ lon, lat, crs }), req.query.radius);
      if (!result) return { index: i, ...id, error: { code: 'WANMI_OUTSIDE_AREA', message: `(${lon}, ${lat}) is outside the managed area` } };
      return { index: i, ...id, result };
    });
    return { crs: OUTPUT_CRS_LABEL[crs], dataVersion: index.dataVersion, count: results.length, results };
  });
};

/** One reverse answer, coordinates back in the CRS the point came in. */
function reverseAt(index: CityIndex, p: ParsedPoint, radius?: number, eventClass?: string) {
  const r = index.geocoder.reverse.reverse(p.lon, p.lat, radius ?? DEFAULT_REVERSE_RADIUS_M);
  if (!r) return null;
  const crs = p.input.crs as NamedCrs;
  const territory = { grid: r.grid, community: r.community, street: r.street, district: r.district };
  const responsible = eventClass
    ? ownershipAt(index, p, { kind: 'event', class: eventClass }).responsible
    : territorialUnits({ territory: index.territory, components: index.components, zones: index.zones, units: index.units, list: index.responsibility }, r.grid || r.community || r.street || r.district ? territory : null);
  return {
    lon: p.input.lon, lat: p.input.lat, crs: OUTPUT_CRS_LABEL[crs], input: p.input, ...inCrs(r, crs), responsible, dataVersion: index.dataVersion,
  };
}

function inCrs(r: ReverseResult, crs: NamedCrs): ReverseResult {
  const move = <T extends { lon: number; lat: number } | null>(f: T): T => {
    if (!f) return f;
    const [lon, lat] = toPosition(f.lon, f.lat, crs);
    return { ...f, lon, lat };
  };
  return { ...r, address: move(r.address), place: move(r.place) };
}

interface PointItem {
  lon: unknown;
  lat: unknown;
  id?: unknown;
}

function pointItems(body: unknown): PointItem[] {
  const list = batchList(body, MAX_REVERSE_BATCH, ['lon', 'lat'], 'a JSON array of {lon, lat}, {"items": [...]}, or CSV text with lon,lat columns');
  return list.map((x) => (Array.isArray(x) ? { lon: x[0], lat: x[1] } : x && typeof x === 'object' ? (x as PointItem) : { lon: NaN, lat: NaN }));
}
