import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorCodes, type FastifyError, type FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { lookupJsonCache } from '../lookup/answer-json.js';
import { WanmiErrors } from '../errors.js';
import { CRS_CGCS2000 } from './schemas.js';
import { INPUT_CRS, JSON_TYPE, type ParsedPoint } from './point.js';
import { ownershipAt, type OwnershipParams } from './ownership.js';
import { MAX_BATCH, itemError, itemsOf, pointOf, type Item } from './batch-items.js';
import { compactBatchBytes, fullBatchStream } from './lookup-batch-json.js';
import type { CityIndex } from '../index/city-index.js';

type ItemResult = { i: number; id?: unknown; ok: true } & Record<string, unknown> | { i: number; id?: unknown; ok: false; error: unknown };

const BatchQuery = Type.Object({
  crs: Type.Union(INPUT_CRS.map((c) => Type.Literal(c)), { default: 'cgcs2000', description: 'CRS of every lon/lat in the batch' }),
});

const LookupBatchQuery = Type.Object({
  ...BatchQuery.properties,
  format: Type.Union([Type.Literal('full'), Type.Literal('compact')], {
    default: 'full',
    description: 'full: every result carries its answer. compact: each distinct answer once in `places`; a result is '
      + 'the index of its place (or the error object), and the converted lon/lat are left out',
  }),
});

const BatchBody = Type.Union([
  Type.Array(Type.Unknown(), { description: 'Items: {id?, lon, lat, …}' }),
  Type.Object({ items: Type.Array(Type.Unknown()) }),
  Type.String({ description: 'CSV with a header row naming lon, lat (and id, kind, class, componentId)' }),
]);

const BatchResponse = Type.Object({
  crs: Type.String({ description: 'CRS of the coordinates in the results' }),
  dataVersion: Type.Integer(),
  count: Type.Integer(), okCount: Type.Integer(), errorCount: Type.Integer(),
  format: Type.Optional(Type.Literal('compact', { description: 'Present when the lookup batch was asked for the compact format' })),
  places: Type.Optional(Type.Array(Type.Unknown(), { description: 'compact format: each distinct answer once, {grid, community, street, district, zones}' })),
  results: Type.Array(Type.Unknown(), { description: 'One per item, in input order: {i, id?, ok: true, …answer} or {i, id?, ok: false, error: {code, message, field?}}; in the compact format an ok item is the index of its answer in `places`' }),
});

/**
 * POST /v1/lookup/batch and POST /v1/ownership/batch. Results come back in input order; a bad item
 * gets its own error and never fails the batch.
 */
export const batchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  plainJsonBodies(app);

  const schema = <Q extends TSchema>(summary: string, querystring: Q) => ({
    summary, tags: ['batch'], querystring, body: BatchBody,
    response: { 200: BatchResponse, 400: { $ref: 'WanmiError#' }, 413: { $ref: 'WanmiError#' } },
  });

  const answers = lookupJsonCache();
  app.post('/v1/lookup/batch', {
    schema: schema(`Lookup for up to ${MAX_BATCH} points (JSON array or CSV)`, LookupBatchQuery),
  }, (req, reply) => {
    const items = itemsOf(req.body);
    if (items.length > MAX_BATCH) throw new WanmiErrors.BatchTooLarge(MAX_BATCH, items.length);
    const json = answers(app.wanmi.index.current);
    const { crs, format } = req.query;
    reply.type(JSON_TYPE).send(format === 'compact' ? compactBatchBytes(json, items, crs) : fullBatchStream(json, items, crs));
  });

  app.post('/v1/ownership/batch', { schema: schema(`Ownership for up to ${MAX_BATCH} points (JSON array or CSV)`, BatchQuery) }, async (req) =>
    runBatch(app.wanmi.index.current, itemsOf(req.body), req.query.crs, (index, p, item) =>
      ownershipAt(index, p, ownershipParams(item))));
};

/**
 * JSON bodies of this plugin's routes parsed by plain JSON.parse. Fastify's default parser also scans
 * the whole text for "__proto__"/"constructor" keys (~30 ms of a 100,000-item body, a quarter of the
 * compact batch's server time). The scan guards code that merges client objects into others; batch
 * items are only ever read field by field (lon, lat, id, kind, class, componentId), and a "__proto__"
 * key from JSON.parse is an ordinary own property, so there is nothing here for it to guard.
 */
function plainJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body.length === 0) return done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
  });
}

function runBatch(
  index: CityIndex, items: Item[], crs: string,
  answer: (index: CityIndex, p: ParsedPoint, item: Item) => object,
) {
  if (items.length > MAX_BATCH) throw new WanmiErrors.BatchTooLarge(MAX_BATCH, items.length);
  let okCount = 0;
  const results: ItemResult[] = items.map((item, i) => {
    const id = item?.id;
    try {
      const p = pointOf(item, crs);
      const r = { i, ...(id !== undefined ? { id } : {}), ok: true as const, ...answer(index, p, item) };
      okCount++;
      return r;
    } catch (err) {
      return { i, ...(id !== undefined ? { id } : {}), ok: false as const, error: itemError(err as FastifyError) };
    }
  });
  return { crs: CRS_CGCS2000, dataVersion: index.dataVersion, count: items.length, okCount, errorCount: items.length - okCount, results };
}

function ownershipParams(item: Item): OwnershipParams {
  const kind = item.kind;
  if (kind !== 'component' && kind !== 'event') {
    throw Object.assign(new WanmiErrors.BadParameter('kind must be component or event'), { field: 'kind' });
  }
  const cls = item.class === undefined || item.class === '' ? undefined : String(item.class);
  if (cls !== undefined && !/^\d{4,5}$/.test(cls)) {
    throw Object.assign(new WanmiErrors.BadParameter('class must be a 4- or 5-digit type code'), { field: 'class' });
  }
  const componentId = item.componentId === undefined || item.componentId === '' ? undefined : String(item.componentId);
  return { kind, class: cls, componentId };
}
