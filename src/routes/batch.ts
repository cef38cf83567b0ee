import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { lookupJsonCache, numberJson, type LookupJson } from '../lookup/answer-json.js';
import { WanmiErrors } from '../errors.js';
import { CRS_CGCS2000 } from './schemas.js';
import { INPUT_CRS, JSON_TYPE, parsePoint, type ParsedPoint } from './point.js';
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
    reply.type(JSON_TYPE).send(format === 'compact' ? compactBatchText(json, items, crs) : fullBatchStream(json, items, crs));
  });

  app.post('/v1/ownership/batch', { schema: schema(`Ownership for up to ${MAX_BATCH} points (JSON array or CSV)`, BatchQuery) }, async (req) =>
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

/**
 * The lookup batch's response as JSON text, written item by item from LookupJson's per-grid pieces (at
 * 100,000 points, answer objects and their serialisation cost more than the lookups), and streamed in
 * chunks: 100,000 full answers are ~33 MiB, and the client reads the first chunks while later ones are
 * still being encoded. Same fields and order as BatchResponse describes: {i, id?, ok: true, lon, lat,
 * grid, community, street, district, zones, dataVersion} or {i, id?, ok: false, error}.
 */
function fullBatchStream(json: LookupJson, items: Item[], crs: string): Readable {
  const tail = `,"dataVersion":${json.dataVersion}}`;
  const run = eachLookup(json, items, crs, (i, p, place) =>
    `${itemHead(i, items[i])},"ok":true,"lon":${numberJson(p.lon)},"lat":${numberJson(p.lat)},${place}${tail}`);
  const head = batchHead(json, run.texts.length, run.okCount, '');
  let next = 0;
  return new Readable({
    read() {
      const from = next;
      next = Math.min(from + STREAM_CHUNK, run.texts.length);
      const chunk = run.texts.slice(from, next).join(',');
      this.push(from === 0 ? head + chunk : next > from ? `,${chunk}` : '');
      if (next === run.texts.length) {
        this.push(BATCH_END);
        this.push(null);
      }
    },
  });
}

/** Items per streamed chunk (~300 KiB of full answers). */
const STREAM_CHUNK = 1000;
/** What closes the results array and the envelope batchHead opened. */
const BATCH_END = ']}';

/**
 * The compact form: each distinct answer once in `places` (first-seen order), an ok item as the index
 * of its place. Points share their grid's answer, so the body shrinks with the points per grid: on the
 * benchmark city (100,000 points, 25,208 grids) from 32.6 to 6.6 MiB.
 */
function compactBatchText(json: LookupJson, items: Item[], crs: string): string {
  const placeIndex = new Map<string, number>();
  let places = '';
  const run = eachLookup(json, items, crs, (_i, _p, place) => {
    let k = placeIndex.get(place);
    if (k === undefined) {
      k = placeIndex.size;
      placeIndex.set(place, k);
      places += k === 0 ? `{${place}}` : `,{${place}}`;
    }
    return String(k);
  });
  const extra = `"format":"compact","places":[${places}],`;
  return batchHead(json, run.texts.length, run.okCount, extra) + run.texts.join(',') + BATCH_END;
}

/** Looks up every item in order; `ok` writes a found item, a bad or outside item gets its error object. */
function eachLookup(
  json: LookupJson, items: Item[], crs: string, ok: (i: number, p: ParsedPoint, place: string) => string,
): { texts: string[]; okCount: number } {
  let okCount = 0;
  const texts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    try {
      const p = pointOf(items[i], crs);
      const place = json.placeFields(p.lon, p.lat);
      if (place === null) throw new WanmiErrors.OutsideArea(p.input.lon, p.input.lat);
      texts[i] = ok(i, p, place);
      okCount++;
    } catch (err) {
      texts[i] = `${itemHead(i, items[i])},"ok":false,"error":${JSON.stringify(itemError(err as FastifyError))}}`;
    }
  }
  return { texts, okCount };
}

/** `{"i":…` and the item's id when it has one (the object is left open). */
function itemHead(i: number, item: Item | null | undefined): string {
  const id = item?.id;
  return id === undefined ? `{"i":${i}` : `{"i":${i},"id":${JSON.stringify(id)}`;
}

/** The batch envelope up to the opening of the results array. */
function batchHead(json: LookupJson, count: number, okCount: number, extra: string): string {
  const counts = `"count":${count},"okCount":${okCount},"errorCount":${count - okCount}`;
  return `{"crs":"${CRS_CGCS2000}","dataVersion":${json.dataVersion},${counts},${extra}"results":[`;
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
