import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import { Type } from 'typebox';
import { parse as parseCsv } from 'csv-parse/sync';
import { lookupPoint } from '../lookup/lookup.js';
import { WanmiErrors } from '../errors.js';
import { CRS_CGCS2000 } from './schemas.js';
import { INPUT_CRS, parsePoint, type ParsedPoint } from './point.js';
import { ownershipAt, type OwnershipParams } from './ownership.js';
import { toErrorBody } from './error-handler.js';
import type { CityIndex } from '../index/city-index.js';

/** The most items one batch request may carry. */
export const MAX_BATCH = 100_000;

type Item = Record<string, unknown>;
type ItemResult = { i: number; id?: unknown; ok: true } & Record<string, unknown> | { i: number; id?: unknown; ok: false; error: unknown };

const BatchQuery = Type.Object({
  crs: Type.Union(INPUT_CRS.map((c) => Type.Literal(c)), { default: 'cgcs2000', description: 'CRS of every lon/lat in the batch' }),
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
  results: Type.Array(Type.Unknown(), { description: 'One per item, in input order: {i, id?, ok: true, …answer} or {i, id?, ok: false, error: {code, message, field?}}' }),
});

/**
 * POST /v1/lookup/batch and POST /v1/ownership/batch. Results come back in input order; a bad item
 * gets its own error and never fails the batch.
 */
export const batchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const schema = (summary: string) => ({
    summary, tags: ['batch'], querystring: BatchQuery, body: BatchBody,
    response: { 200: BatchResponse, 400: { $ref: 'WanmiError#' }, 413: { $ref: 'WanmiError#' } },
  });

  app.post('/v1/lookup/batch', { schema: schema(`Lookup for up to ${MAX_BATCH} points (JSON array or CSV)`) }, async (req) =>
    runBatch(app.wanmi.index.current, itemsOf(req.body), req.query.crs, (index, p) => {
      const r = lookupPoint(index, p.lon, p.lat);
      if (!r) throw new WanmiErrors.OutsideArea(p.input.lon, p.input.lat);
      return r;
    }));

  app.post('/v1/ownership/batch', { schema: schema(`Ownership for up to ${MAX_BATCH} points (JSON array or CSV)`) }, async (req) =>
    runBatch(app.wanmi.index.current, itemsOf(req.body), req.query.crs, (index, p, item) =>
      ownershipAt(index, p, ownershipParams(item))));
};

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

/** A JSON array, {items: [...]}, or CSV text with a header row. */
function itemsOf(body: unknown): Item[] {
  if (Array.isArray(body)) return body as Item[];
  if (typeof body === 'string') return csvItems(body);
  if (body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items)) return (body as { items: Item[] }).items;
  throw new WanmiErrors.BadBatch('expected a JSON array of items, {"items": [...]}, or CSV text');
}

function csvItems(text: string): Item[] {
  let rows: Item[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } catch (err) {
    throw new WanmiErrors.BadBatch(`CSV: ${(err as Error).message}`);
  }
  const header = rows.length ? Object.keys(rows[0]) : [];
  if (rows.length && (!header.includes('lon') || !header.includes('lat'))) {
    throw new WanmiErrors.BadBatch(`CSV header must name lon and lat columns; it has ${header.join(', ')}`);
  }
  return rows;
}

/** Validates one item's coordinates (numbers or numeric strings, in range) and converts its CRS. */
function pointOf(item: Item, crs: string): ParsedPoint {
  if (!item || typeof item !== 'object') throw Object.assign(new WanmiErrors.BadCoordinates('item is not an object'), { field: 'lon' });
  const lon = coordinate(item.lon, 'lon', 180);
  const lat = coordinate(item.lat, 'lat', 90);
  return parsePoint({ lon, lat, crs });
}

function coordinate(value: unknown, field: 'lon' | 'lat', max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < -max || n > max) {
    throw Object.assign(new WanmiErrors.BadCoordinates(`${field} must be a number in [-${max}, ${max}]`), { field });
  }
  return n;
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

function itemError(err: FastifyError & { field?: string }) {
  const body = toErrorBody(err);
  return { code: body.code, message: body.message, ...(err.field ? { field: err.field } : {}) };
}
