import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { resolveOwnership, OwnershipError, type OwnershipAnswer, type OwnershipKind } from '../ownership/resolve.js';
import { classKey, type CityIndex } from '../index/city-index.js';
import { WanmiErrors } from '../errors.js';
import { CRS_CGCS2000, NullableAreaRef } from './schemas.js';
import { PointQuery, InputPointSchema, parsePoint, type ParsedPoint } from './point.js';

export const ClassParam = Type.String({ pattern: '^\\d{4,5}$', description: '4- or 5-digit type code (major + minor class)' });

const ComponentSchema = Type.Object({
  id: Type.String(), typeCode: Type.String(), name: Type.String(),
  competentUnit: Type.Union([Type.String(), Type.Null()]), ownerUnit: Type.Union([Type.String(), Type.Null()]),
  maintainerUnit: Type.Union([Type.String(), Type.Null()]), gridCode: Type.Union([Type.String(), Type.Null()]),
  state: Type.String(), distanceM: Type.Number({ description: 'Metres from the point (0 inside a polygon)' }),
});

/** One responsible unit, in rank order. */
export const ResponsibleUnitSchema = Type.Object({
  rank: Type.Integer(),
  role: Type.String({ description: 'maintainer 养护单位, owner 权属单位, competent 主管部门, department, zone, street_office, community, district' }),
  unit: Type.Object({ code: Type.String(), name: Type.String(), kind: Type.String(), contact: Type.Union([Type.String(), Type.Null()]) }),
  rule: Type.String(),
  evidence: Type.Object({
    componentId: Type.Optional(Type.String()), distanceM: Type.Optional(Type.Number()),
    zoneId: Type.Optional(Type.String()), zoneName: Type.Optional(Type.String()),
    gridCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    listKey: Type.Optional(Type.String()), listVersion: Type.Optional(Type.String()),
  }),
});

export const OwnershipResultSchema = Type.Object({
  kind: Type.String(),
  class: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
  territory: Type.Union([Type.Object({ grid: NullableAreaRef, community: NullableAreaRef, street: NullableAreaRef, district: NullableAreaRef }), Type.Null()]),
  component: Type.Union([ComponentSchema, Type.Null()]),
  candidates: Type.Array(ComponentSchema),
  ambiguous: Type.Boolean({ description: 'A second component of the class lies within the tolerance and within the ambiguity margin (default 5 m) of the nearest' }),
  responsible: Type.Array(ResponsibleUnitSchema),
  explain: Type.Optional(Type.Array(Type.Object({ rule: Type.String(), matched: Type.Boolean(), reason: Type.String() }))),
});

const OwnershipResponse = Type.Intersect([
  Type.Object({ lon: Type.Number(), lat: Type.Number(), crs: Type.String(), input: InputPointSchema, dataVersion: Type.Integer(), responsibilityList: Type.String() }),
  OwnershipResultSchema,
]);

export interface OwnershipParams {
  kind: OwnershipKind;
  class?: string;
  componentId?: string;
  explain?: boolean;
}

/**
 * Resolves one point and maps engine errors onto the error table. Shared by the single and the batch
 * endpoints so both answer identically.
 */
export function ownershipAt(index: CityIndex, p: ParsedPoint, params: OwnershipParams) {
  const entry = params.class ? index.classes.get(classKey(params.kind, params.class)) : undefined;
  if (params.class && !entry) throw new WanmiErrors.UnknownClass(params.kind, params.class);
  let answer: OwnershipAnswer;
  try {
    answer = resolveOwnership(
      { territory: index.territory, components: index.components, zones: index.zones, units: index.units, list: index.responsibility },
      { lon: p.lon, lat: p.lat, kind: params.kind, typeCode: params.class, componentId: params.componentId },
    );
  } catch (err) {
    throw mapOwnershipError(err, p);
  }
  const { explain, ...rest } = answer;
  return {
    kind: params.kind,
    class: entry ? { code: entry.typeCode, name: entry.name } : null,
    ...rest,
    ...(params.explain ? { explain } : {}),
  };
}

function mapOwnershipError(err: unknown, p: ParsedPoint): unknown {
  if (!(err instanceof OwnershipError)) return err;
  if (err.code === 'COMPONENT_NOT_FOUND') return new WanmiErrors.ComponentNotFound(err.message.replace(/^no component with id /, ''));
  if (err.code === 'OUTSIDE_AREA') return new WanmiErrors.OutsideArea(p.input.lon, p.input.lat);
  return new WanmiErrors.ClassRequired(err.message);
}

/** GET /v1/ownership: who must handle a problem at this point. */
export const ownershipRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/ownership', {
    schema: {
      summary: 'Responsible units for a component or event problem at a point',
      description: 'Components: owner first, then territory (先属主、后属地). Events: territory first, then owner (先属地、后属主). See docs/ownership.md.',
      tags: ['ownership'],
      querystring: Type.Object({
        ...PointQuery,
        kind: Type.Union([Type.Literal('component'), Type.Literal('event')]),
        class: Type.Optional(ClassParam),
        componentId: Type.Optional(Type.String({ pattern: '^\\d{16,17}$' })),
        explain: Type.Optional(Type.Boolean({ default: false, description: 'Return every rule tried and why it matched or not' })),
      }),
      response: { 200: OwnershipResponse, 400: { $ref: 'WanmiError#' }, 404: { $ref: 'WanmiError#' } },
    },
  }, async (req) => {
    const index = app.wanmi.index.current;
    const p = parsePoint(req.query);
    const result = ownershipAt(index, p, req.query);
    return {
      lon: p.lon, lat: p.lat, crs: CRS_CGCS2000, input: p.input, dataVersion: index.dataVersion,
      responsibilityList: `${index.responsibility.data.city} ${index.responsibility.data.version}`, ...result,
    };
  });
};
