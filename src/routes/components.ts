import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { layerCodecs } from '../store/layers.js';
import { readFeature } from '../store/layer-io.js';
import { historySummary } from '../store/history.js';
import { classKey } from '../index/city-index.js';
import { WanmiErrors } from '../errors.js';
import { CRS_CGCS2000 } from './schemas.js';
import { PointQuery, InputPointSchema, parsePoint } from './point.js';
import { ClassParam } from './ownership.js';
import { FeatureSchema, HistorySchema, UnitSchema, unitOrCode } from './features.js';

const NearbyItem = Type.Object({
  id: Type.String(), typeCode: Type.String(), className: Type.Union([Type.String(), Type.Null()]), name: Type.String(),
  distanceM: Type.Number({ description: 'True distance in metres: to the point, the nearest point of a line, 0 inside a polygon' }),
  state: Type.String(), gridCode: Type.Union([Type.String(), Type.Null()]),
  maintainer: Type.Union([UnitSchema, Type.Null()]), owner: Type.Union([UnitSchema, Type.Null()]), competent: Type.Union([UnitSchema, Type.Null()]),
});

/** GET /v1/components/nearby and GET /v1/components/:id. */
export const componentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/components/nearby', {
    schema: {
      summary: 'Components near a point, nearest first, by true distance in metres',
      tags: ['components'],
      querystring: Type.Object({
        ...PointQuery,
        radius: Type.Number({ exclusiveMinimum: 0, maximum: 5000, default: 50, description: 'Search radius in metres' }),
        class: Type.Optional(ClassParam),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 10 }),
      }),
      response: {
        200: Type.Object({ lon: Type.Number(), lat: Type.Number(), crs: Type.String(), input: InputPointSchema, dataVersion: Type.Integer(), components: Type.Array(NearbyItem) }),
        400: { $ref: 'WanmiError#' },
      },
    },
  }, async (req) => {
    const index = app.wanmi.index.current;
    const p = parsePoint(req.query);
    if (req.query.class && !index.classes.has(classKey('component', req.query.class))) {
      throw new WanmiErrors.UnknownClass('component', req.query.class);
    }
    const hits = index.components.nearby(p.lon, p.lat, { radius: req.query.radius, limit: req.query.limit, typeCode: req.query.class });
    const unit = (code: string | null) => unitOrCode(index.units, code);
    return {
      lon: p.lon, lat: p.lat, crs: CRS_CGCS2000, input: p.input, dataVersion: index.dataVersion,
      components: hits.map(({ index: i, distance }) => {
        const c = index.components.ref(i);
        return {
          id: c.id, typeCode: c.typeCode, className: index.classes.get(classKey('component', c.typeCode))?.name ?? null,
          name: c.name, distanceM: Math.round(distance * 100) / 100, state: c.state, gridCode: c.gridCode,
          maintainer: unit(c.maintainerUnit), owner: unit(c.ownerUnit), competent: unit(c.competentUnit),
        };
      }),
    };
  });

  app.get('/v1/components/:id', {
    schema: {
      summary: 'One component as a GeoJSON Feature, with its owner chain and history summary',
      tags: ['components'],
      params: Type.Object({ id: Type.String({ pattern: '^\\d{16,17}$', description: '16- or 17-digit component id' }) }),
      response: { 200: FeatureSchema, 400: { $ref: 'WanmiError#' }, 404: { $ref: 'WanmiError#' } },
    },
  }, async (req) => {
    const { store, index } = app.wanmi;
    const c = await readFeature(store.db, layerCodecs.components, req.params.id);
    if (!c) throw new WanmiErrors.ComponentNotFound(req.params.id);
    const current = index.current;
    const typeCode = c.major + c.minor;
    const unit = (code: string | null) => unitOrCode(current.units, code);
    return {
      type: 'Feature' as const,
      id: c.id,
      crs: CRS_CGCS2000,
      geometry: c.geometry,
      properties: {
        ...c, geometry: undefined, typeCode, className: current.classes.get(classKey('component', typeCode))?.name ?? null,
        grid: c.gridCode ? current.territory.gridRef(c.gridCode) ?? null : null,
        ownerChain: [
          { role: 'maintainer', unit: unit(c.maintainerUnit) },
          { role: 'owner', unit: unit(c.ownerUnit) },
          { role: 'competent', unit: unit(c.competentUnit) },
        ],
        history: await historySummary(store.db, 'components', c.id),
      },
    };
  });
};
