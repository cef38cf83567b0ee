import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('starting')]),
  ready: Type.Boolean(),
  version: Type.String({ description: 'Wanmi version' }),
  store: Type.Object({ kind: Type.String(), location: Type.String() }),
  dataVersion: Type.Union([Type.Integer(), Type.Null()]),
  counts: Type.Record(Type.String(), Type.Integer()),
  index: Type.Union([Type.Object({ builtAt: Type.String(), buildMs: Type.Number() }), Type.Null()]),
  crs: Type.String(),
});

/** GET /health: store kind, data version, counts per layer, readiness. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: { summary: 'Readiness, store and data version', tags: ['service'], response: { 200: HealthResponse, 503: HealthResponse } },
  }, async (_req, reply) => {
    const { index, store, version } = app.wanmi;
    const current = index.ready ? index.current : null;
    reply.code(current ? 200 : 503);
    return {
      status: current ? 'ok' as const : 'starting' as const,
      ready: current !== null,
      version,
      store: { kind: store.kind, location: store.location },
      dataVersion: current?.dataVersion ?? null,
      counts: current ? { ...current.counts } : {},
      index: current ? { builtAt: current.builtAt, buildMs: Math.round(current.buildMs) } : null,
      crs: 'EPSG:4490',
    };
  });
};
