import { Type } from 'typebox';
import type { Unit } from '../domain/types.js';

/** Schemas and helpers for endpoints that return one stored feature. */

export const UnitSchema = Type.Object({
  code: Type.String(), name: Type.String(), kind: Type.String(), contact: Type.Union([Type.String(), Type.Null()]),
});

export const HistorySchema = Type.Object({
  changes: Type.Integer(), lastChange: Type.Union([Type.String(), Type.Null()]),
  lastAction: Type.Union([Type.String(), Type.Null()]), lastImport: Type.Union([Type.String(), Type.Null()]),
});

/** A GeoJSON Feature (RFC 7946) with the CRS named beside it. */
export const FeatureSchema = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  crs: Type.String({ description: 'CRS of the geometry (EPSG:4490, CGCS2000 lon/lat)' }),
  geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }),
  properties: Type.Record(Type.String(), Type.Unknown()),
});

/** The unit with this code; a code with no unit record is shown as its code (data the city must complete). */
export function unitOrCode(units: ReadonlyMap<string, Unit>, code: string | null): Unit | null {
  if (!code) return null;
  return units.get(code) ?? { code, name: code, kind: 'unknown', contact: null };
}
