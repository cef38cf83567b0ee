import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { lookupJsonCache, numberJson } from '../lookup/answer-json.js';
import { WanmiErrors } from '../errors.js';
import { CRS_CGCS2000, NullableAreaRef, ZoneRefSchema } from './schemas.js';
import { PointQuery, InputPointSchema, parsePoint, JSON_TYPE } from './point.js';

const LookupResponse = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  crs: Type.String({ description: 'CRS of lon/lat in this response' }),
  input: InputPointSchema,
  grid: NullableAreaRef,
  community: NullableAreaRef,
  street: NullableAreaRef,
  district: NullableAreaRef,
  zones: Type.Array(ZoneRefSchema),
  dataVersion: Type.Integer(),
});

/**
 * GET /v1/lookup: point → unit grid, community, street and district. The answer is written as JSON text
 * from per-grid pieces (LookupJson) and sent as is; LookupResponse still documents it and the tests
 * hold the text to it.
 */
export const lookupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const answers = lookupJsonCache();
  app.get('/v1/lookup', {
    schema: {
      summary: 'Which grid, community, street and district contain a point',
      description:
        'A point on an edge shared by two grids belongs to the grid east of it (north of it on an east–west edge).',
      tags: ['lookup'],
      querystring: Type.Object(PointQuery),
      response: { 200: LookupResponse, 400: { $ref: 'WanmiError#' }, 404: { $ref: 'WanmiError#' } },
    },
  }, (req, reply) => {
    const { lon, lat, input } = parsePoint(req.query);
    const json = answers(app.wanmi.index.current);
    const place = json.placeFields(lon, lat);
    if (place === null) throw new WanmiErrors.OutsideArea(input.lon, input.lat);
    const point = `"lon":${numberJson(lon)},"lat":${numberJson(lat)},"crs":"${CRS_CGCS2000}"`;
    const given = `"input":{"lon":${numberJson(input.lon)},"lat":${numberJson(input.lat)},"crs":${JSON.stringify(input.crs)}}`;
    reply.type(JSON_TYPE).send(`{${point},${given},${place},"dataVersion":${json.dataVersion}}`);
  });
};
