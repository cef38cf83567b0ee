import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { lookupPoint } from '../lookup/lookup.js';
import { WanmiErrors } from '../errors.js';
import { CRS_CGCS2000, NullableAreaRef, ZoneRefSchema } from './schemas.js';
import { PointQuery, InputPointSchema, parsePoint } from './point.js';

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

/** GET /v1/lookup: point → unit grid, community, street and district. */
export const lookupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/lookup', {
    schema: {
      summary: 'Which grid, community, street and district contain a point',
      description:
        'A point on an edge shared by two grids belongs to the grid east of it (north of it on an east–west edge).',
      tags: ['lookup'],
      querystring: Type.Object(PointQuery),
      response: { 200: LookupResponse, 400: { $ref: 'WanmiError#' }, 404: { $ref: 'WanmiError#' } },
    },
  }, async (req) => {
    const { lon, lat, input } = parsePoint(req.query);
    const result = lookupPoint(app.wanmi.index.current, lon, lat);
    if (!result) throw new WanmiErrors.OutsideArea(input.lon, input.lat);
    return { ...result, crs: CRS_CGCS2000, input };
  });
};
