import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { layerCodecs } from '../store/layers.js';
import { readFeature } from '../store/layer-io.js';
import { historySummary } from '../store/history.js';
import { WanmiErrors } from '../errors.js';
import { CRS_CGCS2000 } from './schemas.js';
import { FeatureSchema, unitOrCode } from './features.js';

/** GET /v1/grids/:code: a unit grid with its admin chain, territorial units and history summary. */
export const gridRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/grids/:code', {
    schema: {
      summary: 'One unit grid as a GeoJSON Feature, with its community, street, district and responsible units',
      tags: ['grids'],
      params: Type.Object({ code: Type.String({ pattern: '^\\d{14,15}$', description: '15-digit (or legacy 14-digit) grid code' }) }),
      response: { 200: FeatureSchema, 400: { $ref: 'WanmiError#' }, 404: { $ref: 'WanmiError#' } },
    },
  }, async (req) => {
    const { store, index } = app.wanmi;
    const grid = await readFeature(store.db, layerCodecs.grids, req.params.code);
    if (!grid) throw new WanmiErrors.GridNotFound(req.params.code);
    const current = index.current;
    const community = current.territory.admin(grid.communityCode) ?? null;
    const street = current.territory.admin(grid.communityCode.slice(0, 9)) ?? null;
    const district = current.territory.admin(grid.communityCode.slice(0, 6)) ?? null;
    return {
      type: 'Feature' as const,
      id: grid.code,
      crs: CRS_CGCS2000,
      geometry: grid.geometry,
      properties: {
        ...grid, geometry: undefined, community, street, district,
        // A grid's events go to its territory first (先属地): the street office, then the community committee.
        ownerChain: [
          { role: 'street_office', unit: street ? unitOrCode(current.units, street.code) : null },
          { role: 'community', unit: community ? unitOrCode(current.units, community.code) : null },
        ],
        history: await historySummary(store.db, 'grids', grid.code),
      },
    };
  });
};
