import { parse as parseCsv } from 'csv-parse/sync';
import { Type, type TProperties } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { WanmiErrors } from '../errors.js';

/**
 * What the geocoding batch endpoints share: the body forms (a JSON array, {"items": [...]}, or CSV text
 * with a header row), the size limit, and the response envelope with per-item errors.
 */
export function acceptCsvBodies(app: FastifyInstance): void {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
}

/** The items of a batch body; CSV rows come as objects keyed by the header, which must name `required`. */
export function batchList(body: unknown, max: number, required: readonly string[], expected: string): unknown[] {
  const list = typeof body === 'string' ? csvRows(body, required) : Array.isArray(body) ? body : (body as { items?: unknown })?.items;
  if (!Array.isArray(list)) throw new WanmiErrors.BadBatch(`expected ${expected}`);
  if (list.length > max) throw new WanmiErrors.BatchTooLarge(max, list.length);
  return list;
}

function csvRows(text: string, required: readonly string[]): Record<string, string>[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } catch (err) {
    throw new WanmiErrors.BadBatch(`CSV: ${(err as Error).message}`);
  }
  const missing = rows.length ? required.filter((c) => !(c in rows[0])) : [];
  if (missing.length) throw new WanmiErrors.BadBatch(`CSV header must name ${required.join(', ')}; it has ${Object.keys(rows[0]).join(', ')}`);
  return rows;
}

const ItemError = Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) });

/** {crs, dataVersion, count, results: [{index, id?, …item, error?}]}: results in request order. */
export function batchResponse(item: TProperties) {
  return Type.Object({
    crs: Type.String(), dataVersion: Type.Integer(), count: Type.Integer(),
    results: Type.Array(Type.Object({ index: Type.Integer(), id: Type.Optional(Type.String()), ...item, error: Type.Optional(ItemError) })),
  });
}
