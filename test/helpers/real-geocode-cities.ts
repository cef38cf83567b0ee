import { readFileSync } from 'node:fs';
import { toCgcs2000 } from '../../src/crs/index.js';
import type { AdminArea, Position } from '../../src/domain/types.js';
import { TerritoryIndex } from '../../src/index/territory.js';
import { GeocodeData, nationalRegions } from '../../src/geocode/index.js';
import type { Place } from '../../src/geocode/places.js';

/**
 * Geocoders over real third-party data in ../shared/data (test-only licences, read in place):
 * - Hangzhou's 13 district outlines (DataV/AMap, GCJ-02, converted to CGCS2000) as admin areas;
 * - Hong Kong's public basketball courts (LCSD, WGS 84) as places with their traditional names.
 */
export const SHARED = new URL('../../../shared/data/', import.meta.url).pathname;

const gcjToCgcs = (p: Position): Position => toCgcs2000(p[0], p[1], 'gcj02');

interface DatavFeature {
  properties: { adcode: number; name: string };
  geometry: { type: string; coordinates: unknown };
}

export function hangzhouDistricts(): AdminArea[] {
  const fc = JSON.parse(readFileSync(`${SHARED}cn-admin-geojson-datav/citys/330100.json`, 'utf8')) as { features: DatavFeature[] };
  return fc.features.map((f) => {
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Position[][][];
    return {
      code: String(f.properties.adcode), name: f.properties.name, level: 'district' as const, parentCode: '3301',
      geometry: { type: 'MultiPolygon' as const, coordinates: polys.map((poly) => poly.map((ring) => ring.map(gcjToCgcs))) },
    };
  });
}

export function hangzhouDistrictGeocoder(): { data: GeocodeData; districts: AdminArea[]; territory: TerritoryIndex } {
  const districts = hangzhouDistricts();
  const territory = new TerritoryIndex(districts, []);
  const data = new GeocodeData({ adminAreas: districts, roads: [], addresses: [], places: [], territory, regions: nationalRegions() });
  return { data, districts, territory };
}

export function hongKongCourts(): Place[] {
  const fc = JSON.parse(readFileSync(`${SHARED}hk-basketball-courts/geodatastore.json`, 'utf8'));
  return (fc.features as Array<{ properties: { NAME_TC: string; LONGITUDE: number | string; LATITUDE: number | string } }>)
    .map((f, i) => ({ id: `HK${i}`, name: f.properties.NAME_TC, kind: 'court', lon: Number(f.properties.LONGITUDE), lat: Number(f.properties.LATITUDE) }))
    .filter((c) => c.name && Number.isFinite(c.lon) && Number.isFinite(c.lat));
}

export function hongKongCourtGeocoder(): { data: GeocodeData; courts: Place[] } {
  const courts = hongKongCourts();
  return { data: new GeocodeData({ adminAreas: [], roads: [], addresses: [], places: courts, territory: new TerritoryIndex([], []) }), courts };
}
