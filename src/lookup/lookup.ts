import type { CityIndex } from '../index/city-index.js';
import type { Territory } from '../index/territory.js';
import type { ZoneRef } from '../index/zone-index.js';

/** The answer to "where is this point": its territory and the data version it was computed on. */
export interface LookupResult extends Territory {
  lon: number;
  lat: number;
  /** Responsibility zones containing the point (parks, development zones…), in id order. */
  zones: readonly ZoneRef[];
  dataVersion: number;
}

/**
 * Point → grid, community, street, district. Pure: plain numbers in, plain data out.
 * Returns null when the point is outside the managed area.
 */
export function lookupPoint(index: CityIndex, lon: number, lat: number): LookupResult | null {
  const territory = index.territory.locate(lon, lat);
  if (!territory) return null;
  return { lon, lat, ...territory, zones: index.zones.containing(lon, lat), dataVersion: index.dataVersion };
}
