import type { AdminArea, Address, Road } from '../../src/domain/types.js';
import { openGazetteer } from '../../src/domain/gazetteer.js';
import { TerritoryIndex } from '../../src/index/territory.js';
import { buildGeocodeData, type GeocodeData } from '../../src/geocode/index.js';
import { demoCity } from './app.js';

/** The road copied into a second district, so one road name exists in two districts. */
export const TWIN_ROAD = '庆和路';
export const TWIN_DISTRICT = { code: '330105', name: '拱墅区' };
/** How far north the copy is moved (degrees of latitude: ~10 km, clear of the demo district). */
const SHIFT = 0.09;

export interface GeocodeTestCity {
  data: GeocodeData;
  addresses: Address[];
}

let cached: GeocodeTestCity | null = null;

/**
 * The demo city (scale 1) plus 拱墅区 holding a copy of 庆和路 with its house numbers, shifted north,
 * inside a district polygon of its own. Built once per test process.
 */
export function geocodeTestCity(): GeocodeTestCity {
  if (cached) return cached;
  const { city } = demoCity(1);
  const gazetteer = openGazetteer();
  const street = gazetteer.streetsOf(TWIN_DISTRICT.code)[0];
  const community = gazetteer.communitiesOf(street.code)[0];
  gazetteer.close();
  const roads: Road[] = city.roads.filter((r) => r.name === TWIN_ROAD).map((r) => ({
    ...r, id: `${r.id}-GS`, districtCode: TWIN_DISTRICT.code, geometry: shifted(r.geometry),
  }));
  const addresses: Address[] = city.addresses.filter((a) => a.roadName === TWIN_ROAD).map((a) => ({
    ...a, id: `${a.id}-GS`, districtCode: TWIN_DISTRICT.code, streetCode: street.code, communityCode: community.code,
    geometry: { type: 'Point', coordinates: [a.geometry.coordinates[0], a.geometry.coordinates[1] + SHIFT] },
  }));
  const district: AdminArea = {
    code: TWIN_DISTRICT.code, name: TWIN_DISTRICT.name, level: 'district', parentCode: null,
    geometry: { type: 'Polygon', coordinates: [boxAround(addresses)] },
  };
  const adminAreas = [...city.adminAreas, district];
  const allAddresses = [...city.addresses, ...addresses];
  const territory = new TerritoryIndex(adminAreas, city.grids);
  const data = buildGeocodeData({ adminAreas, roads: [...city.roads, ...roads], addresses: allAddresses, zones: city.zones }, territory);
  cached = { data, addresses: allAddresses };
  return cached;
}

function shifted(g: Road['geometry']): Road['geometry'] {
  const move = (line: number[][]) => line.map(([x, y]) => [x, y + SHIFT] as [number, number]);
  return g.type === 'LineString' ? { type: 'LineString', coordinates: move(g.coordinates) } : { type: 'MultiLineString', coordinates: g.coordinates.map(move) };
}

function boxAround(addresses: Address[]): [number, number][] {
  const xs = addresses.map((a) => a.geometry.coordinates[0]);
  const ys = addresses.map((a) => a.geometry.coordinates[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs) - 0.01, Math.max(...xs) + 0.01, Math.min(...ys) - 0.01, Math.max(...ys) + 0.01];
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}
