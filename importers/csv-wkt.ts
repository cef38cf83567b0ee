import { wktToGeoJSON } from '@terraformer/wkt';
import type { Geometry, Position } from '../src/domain/types.js';
import { ImportError } from './errors.js';

/**
 * A CSV cell of WKT → Wanmi's 2D Geometry (z and m dropped), via @terraformer/wkt. Blank or EMPTY
 * gives null, like a row without coordinates; anything unreadable is IMPORT_CSV_BAD_WKT for the row.
 */
export function parseWktCell(cell: string | undefined, row: number, field: string, file: string): Geometry | null {
  const text = cell?.trim() ?? '';
  if (text === '' || /\bEMPTY\s*$/i.test(text)) return null;
  const fail = (why: string) => new ImportError('IMPORT_CSV_BAD_WKT', `Row ${row}: the ${field} value cannot be read as WKT (${why}).`, { row, field, file });
  let parsed: { type: string; coordinates?: unknown };
  try {
    parsed = wktToGeoJSON(text) as typeof parsed;
  } catch (err) {
    throw fail(String((err as Error).message).split('\n')[0]);
  }
  if (parsed.type === 'GeometryCollection') throw fail('GEOMETRYCOLLECTION is not supported; one geometry per row');
  const coordinates = flat2d(parsed.coordinates, () => fail('a coordinate is not a finite number'));
  return { type: parsed.type, coordinates } as Geometry;
}

/** Positions reduced to [x, y], at any nesting depth. */
function flat2d(c: unknown, fail: () => ImportError): unknown {
  if (!Array.isArray(c)) throw fail();
  if (typeof c[0] === 'number' || c.length === 0) {
    const [x, y] = c as number[];
    if (c.length > 0 && !(Number.isFinite(x) && Number.isFinite(y))) throw fail();
    return c.length === 0 ? c : ([x, y] as Position);
  }
  return c.map((inner) => flat2d(inner, fail));
}

/** The first position of a WKT text, without parsing all of it (CRS evidence from the first rows). */
export function firstWktPosition(cell: string | undefined): [number, number] {
  const m = /(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s+(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(cell ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
}
