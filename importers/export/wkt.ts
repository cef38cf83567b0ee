import type { Geometry, Position } from '../../src/domain/types.js';

/** OGC Well-Known Text of a geometry, coordinates in their shortest exact decimal form. */
const pos = (p: Position) => `${p[0]} ${p[1]}`;
const path = (ps: readonly Position[]) => `(${ps.map(pos).join(', ')})`;
const rings = (rs: readonly Position[][]) => `(${rs.map(path).join(', ')})`;

export function toWkt(g: Geometry): string {
  switch (g.type) {
    case 'Point': return `POINT (${pos(g.coordinates)})`;
    case 'MultiPoint': return `MULTIPOINT (${g.coordinates.map((p) => `(${pos(p)})`).join(', ')})`;
    case 'LineString': return `LINESTRING ${path(g.coordinates)}`;
    case 'MultiLineString': return `MULTILINESTRING ${rings(g.coordinates)}`;
    case 'Polygon': return `POLYGON ${rings(g.coordinates)}`;
    case 'MultiPolygon': return `MULTIPOLYGON (${g.coordinates.map(rings).join(', ')})`;
  }
}
