import type { Geometry, Position } from '../src/domain/types.js';
import { ImportError } from './errors.js';

/**
 * A GeoJSON geometry object → Wanmi's 2D Geometry, checking the nesting depth of `coordinates` for the
 * type and that every position holds finite numbers (a third value, z, is dropped). Null or empty
 * geometries give null, like shapefile null shapes. A malformed one is IMPORT_BAD_GEOJSON for its row.
 */
export function parseGeometry(value: unknown, row: number, file: string): Geometry | null {
  if (value === null || value === undefined) return null;
  const fail = (why: string) => new ImportError('IMPORT_BAD_GEOJSON', `Feature ${row}: ${why}.`, { row, file, field: 'geometry' });
  if (typeof value !== 'object' || Array.isArray(value)) throw fail('the geometry is not an object');
  const { type, coordinates: c } = value as { type?: unknown; coordinates?: unknown };
  const at = (depth: number) => nested(c, depth, () => fail(`the coordinates do not form a valid ${String(type)}`));
  switch (type) {
    case 'Point': {
      if (Array.isArray(c) && c.length === 0) return null;
      return { type, coordinates: at(0) as Position };
    }
    case 'MultiPoint':
    case 'LineString': return nonEmpty({ type, coordinates: at(1) as Position[] });
    case 'MultiLineString':
    case 'Polygon': return nonEmpty({ type, coordinates: (at(2) as Position[][]).filter((r) => r.length > 0) });
    case 'MultiPolygon': return nonEmpty({ type, coordinates: (at(3) as Position[][][]).filter((p) => p.length > 0) });
    case 'GeometryCollection': throw fail('GeometryCollection is not supported; split it into features of one type');
    default: throw fail(`unknown geometry type ${JSON.stringify(type)}`);
  }
}

function nonEmpty(g: Geometry): Geometry | null {
  return (g.coordinates as unknown[]).length === 0 ? null : g;
}

/** `c` as positions nested `depth` arrays deep (0 = one position), each reduced to [x, y]. */
function nested(c: unknown, depth: number, fail: () => ImportError): unknown {
  if (!Array.isArray(c)) throw fail();
  if (depth === 0) {
    if (c.length < 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
      throw fail();
    }
    return [c[0], c[1]];
  }
  return c.map((inner) => nested(inner, depth - 1, fail));
}
