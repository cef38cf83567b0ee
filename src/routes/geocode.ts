import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { geocode, geocodeStructured, autocomplete, DEFAULT_LIMIT } from '../geocode/index.js';
import { shapeForward, shapeFeature, OUTPUT_CRS_LABEL } from '../geocode/shape.js';
import type { NamedCrs } from '../crs/index.js';
import { WanmiErrors } from '../errors.js';
import { acceptCsvBodies, batchList, batchResponse } from './batch-body.js';
import { GeocodeCollection, GeocodeFeature, LimitParam, OutputCrsParam } from './geocode-schemas.js';

/** Longest address accepted; a longer one is a 400 (WANMI_BAD_PARAMETER, field address), never work. */
const MAX_ADDRESS_CHARS = 256;
export const MAX_GEOCODE_BATCH = 10_000;

const AddressParam = Type.String({ minLength: 1, maxLength: MAX_ADDRESS_CHARS, description: 'The address as typed, e.g. 杭州市上城区望江路108号' });
const DistrictParam = Type.Optional(Type.String({ maxLength: 32, description: 'District name or 6-digit code, when the caller knows it' }));
const Field = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 64, description }));

interface BatchItem {
  id?: string;
  address: unknown;
  district?: string;
}

/** Forward geocoding: GET /v1/geocode, /v1/geocode/structured, /v1/autocomplete, POST /v1/geocode/batch. */
export const geocodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptCsvBodies(app);

  app.get('/v1/geocode', {
    schema: {
      summary: 'Address → point (Chinese addresses, any order, missing levels, traditional characters, typos)',
      description: 'Fallback chain: house number → interpolated number → road → place → community → street → district. Results are ranked, with warnings such as admin_conflict.',
      tags: ['geocoding'],
      querystring: Type.Object({ address: AddressParam, district: DistrictParam, limit: LimitParam, crs: OutputCrsParam }),
      response: { 200: GeocodeCollection, 400: { $ref: 'WanmiError#' } },
    },
  }, async (req) => {
    const index = app.wanmi.index.current;
    const state = geocode(index.geocoder, { text: req.query.address, district: req.query.district, limit: req.query.limit });
    return shapeForward(state, { crs: (req.query.crs ?? 'cgcs2000') as NamedCrs, dataVersion: index.dataVersion });
  });

  app.get('/v1/geocode/structured', {
    schema: {
      summary: 'Address given level by level → point',
      tags: ['geocoding'],
      querystring: Type.Object({
        district: Field('区县, e.g. 上城区 or 330102'), street: Field('街道/乡镇'), community: Field('社区/村'),
        road: Field('道路/街巷'), number: Type.Optional(Type.String({ pattern: '^\\s*[0-9０-９零〇一二两三四五六七八九十百千]+([-之][0-9]+)?\\s*号?\\s*$', description: '门牌号, e.g. 108 or 108号' })),
        building: Field('楼栋, e.g. 3幢'), place: Field('兴趣点 name'), limit: LimitParam, crs: OutputCrsParam,
      }),
      response: { 200: GeocodeCollection, 400: { $ref: 'WanmiError#' } },
    },
  }, async (req) => {
    const q = req.query;
    if (!q.district && !q.street && !q.community && !q.road && !q.place) {
      throw Object.assign(new WanmiErrors.BadParameter('give at least one of district, street, community, road, place'), { field: 'road' });
    }
    const index = app.wanmi.index.current;
    const state = geocodeStructured(index.geocoder, q);
    return shapeForward(state, { crs: (q.crs ?? 'cgcs2000') as NamedCrs, dataVersion: index.dataVersion });
  });

  app.get('/v1/autocomplete', {
    schema: {
      summary: 'Completions for a partly typed address, each with its point',
      tags: ['geocoding'],
      querystring: Type.Object({
        text: Type.String({ minLength: 1, maxLength: MAX_ADDRESS_CHARS, description: 'What has been typed so far' }),
        limit: LimitParam, crs: OutputCrsParam,
      }),
      response: {
        200: Type.Object({
          type: Type.Literal('FeatureCollection'), crs: Type.String(), text: Type.String(), cleaned: Type.String(), dataVersion: Type.Integer(),
          features: Type.Array(Type.Intersect([GeocodeFeature, Type.Object({ completion: Type.String() })])),
        }),
        400: { $ref: 'WanmiError#' },
      },
    },
  }, async (req) => {
    const index = app.wanmi.index.current;
    const crs = (req.query.crs ?? 'cgcs2000') as NamedCrs;
    const { cleaned, completions } = autocomplete(index.geocoder, req.query.text, req.query.limit ?? DEFAULT_LIMIT);
    return {
      type: 'FeatureCollection' as const, crs: OUTPUT_CRS_LABEL[crs], text: req.query.text, cleaned, dataVersion: index.dataVersion,
      features: completions.map((c) => ({ ...shapeFeature(c.result, crs), completion: c.text })),
    };
  });

  app.post('/v1/geocode/batch', {
    schema: {
      summary: `Geocode up to ${MAX_GEOCODE_BATCH} addresses; results in order, with per-item errors`,
      description: 'Body: a JSON array of address strings or of {id, address, district} objects, {"items": [...]}, or CSV with an address column (and id, district).',
      tags: ['geocoding', 'batch'],
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, default: 1 })), crs: OutputCrsParam }),
      body: Type.Unknown(),
      response: {
        200: batchResponse({
          cleaned: Type.Optional(Type.String()), reason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          features: Type.Optional(Type.Array(GeocodeFeature)),
        }),
        400: { $ref: 'WanmiError#' }, 413: { $ref: 'WanmiError#' },
      },
    },
  }, async (req) => {
    const items = batchItems(req.body);
    const index = app.wanmi.index.current;
    const crs = (req.query.crs ?? 'cgcs2000') as NamedCrs;
    const limit = req.query.limit ?? 1;
    const results = items.map((item, i) => {
      const id = item.id === undefined ? {} : { id: String(item.id) };
      if (typeof item.address !== 'string' || item.address.trim() === '' || item.address.length > MAX_ADDRESS_CHARS) {
        const message = `address must be a non-empty string of at most ${MAX_ADDRESS_CHARS} characters`;
        return { index: i, ...id, error: { code: 'WANMI_BAD_PARAMETER', message, field: 'address' } };
      }
      const state = geocode(index.geocoder, { text: item.address, district: item.district, limit });
      return { index: i, ...id, cleaned: state.cleaned, reason: state.reason, features: state.results.map((r) => shapeFeature(r, crs)) };
    });
    return { crs: OUTPUT_CRS_LABEL[crs], dataVersion: index.dataVersion, count: results.length, results };
  });
};

/** JSON array (strings or {id, address, district}), {items: [...]}, or CSV text with an address column. */
function batchItems(body: unknown): BatchItem[] {
  const list = batchList(body, MAX_GEOCODE_BATCH, ['address'], 'a JSON array of addresses, {"items": [...]}, or CSV text with an address column');
  return list.map((x) => {
    if (typeof x === 'string') return { address: x };
    if (typeof x !== 'object' || x === null) return { address: x };
    const item = x as BatchItem;
    return { ...item, district: item.district || undefined };
  });
}
