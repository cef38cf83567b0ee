import type { Address, AdminArea, AdminLevel, Road } from '../domain/types.js';
import type { Gazetteer } from '../domain/gazetteer.js';
import type { TerritoryIndex } from '../index/territory.js';
import { metresPerDegree } from '../index/flat-geometry.js';
import { NameDictionary } from './names.js';
import { FuzzyNames } from './fuzzy.js';
import { normaliseName } from './normalise.js';
import { insidePoint, type Place } from './places.js';
import { StreetAddresses, houseKey } from './street-addresses.js';
import { ReverseIndex } from './reverse.js';
import { NamePrefixes } from './autocomplete.js';

/**
 * Everything the geocoder reads, built once per data version from the city's layers and the national
 * gazetteer, immutable afterwards (like the rest of CityIndex).
 */
export interface GeocodeSources {
  adminAreas: readonly AdminArea[];
  roads: readonly Road[];
  addresses: readonly Address[];
  places: readonly Place[];
  territory: TerritoryIndex;
  /** Province, city and county names nationwide: lets the parser recognise (and report) names outside the city. */
  regions?: ReturnType<Gazetteer['regions']>;
}

/** An admin area of the city, or a region known only by name from the gazetteer (no point). */
export interface AdminName {
  code: string;
  name: string;
  level: AdminLevel | 'province' | 'city';
  parentCode: string | null;
  /** A point inside the area; null for gazetteer-only regions the city's data does not cover. */
  point: [number, number] | null;
}

/**
 * A named road inside one district (the same name in two districts is two roads), with its geometry as
 * flat parts and its house numbers.
 */
export interface RoadEntity {
  key: string;
  name: string;
  ids: string[];
  districtCode: string;
  /** Flat [lon, lat, lon, lat, …] per part. */
  parts: Float64Array[];
  /** A point on the road halfway along its longest part. */
  midpoint: [number, number];
  numbers: StreetAddresses;
  /** Streets and communities the road's house numbers lie in (for matching "which 望江路"). */
  streetCodes: Set<string>;
  communityCodes: Set<string>;
}

export class GeocodeData {
  readonly names = new NameDictionary();
  readonly fuzzy: FuzzyNames;
  readonly admin = new Map<string, AdminName>();
  readonly roads = new Map<string, RoadEntity>();
  readonly places: readonly Place[];
  readonly addresses: readonly Address[];
  readonly territory: TerritoryIndex;
  /** Metres per degree at the city's latitude, for distances inside the city. */
  readonly kx: number;
  readonly ky: number;
  readonly reverse: ReverseIndex;
  readonly prefixes: NamePrefixes;

  constructor(src: GeocodeSources) {
    this.territory = src.territory;
    this.addresses = src.addresses;
    this.places = src.places;
    this.addRegions(src.regions);
    for (const a of src.adminAreas) this.addAdmin(a);
    this.addRoads(src.roads, src.addresses);
    src.places.forEach((p, i) => this.names.add(normaliseName(p.name), 'place', String(i), { short: false }));
    this.fuzzy = new FuzzyNames(this.names.entries());
    ({ kx: this.kx, ky: this.ky } = metresPerDegree(this.cityLatitude()));
    this.reverse = new ReverseIndex(this);
    this.prefixes = new NamePrefixes(this.names.entries());
  }

  /** Local planar distance in metres (exact enough within a city). */
  distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
    return Math.hypot((lon2 - lon1) * this.kx, (lat2 - lat1) * this.ky);
  }

  private addRegions(regions: GeocodeSources['regions']): void {
    if (!regions) return;
    const add = (e: { code: string; name: string; parentCode: string | null }, level: 'province' | 'city' | 'district') => {
      this.admin.set(e.code, { code: e.code, name: e.name, level, parentCode: e.parentCode, point: null });
      this.names.add(e.name, level, e.code);
    };
    regions.provinces.forEach((p) => add(p, 'province'));
    regions.cities.forEach((c) => add(c, 'city'));
    regions.counties.forEach((c) => add(c, 'district'));
  }

  private addAdmin(a: AdminArea): void {
    const known = this.admin.get(a.code);
    this.admin.set(a.code, {
      code: a.code, name: a.name, level: a.level, parentCode: a.parentCode ?? known?.parentCode ?? null, point: insidePoint(a.geometry),
    });
    this.names.add(normaliseName(a.name), a.level, a.code);
  }

  private addRoads(roads: readonly Road[], addresses: readonly Address[]): void {
    for (const r of roads) {
      const name = normaliseName(r.name);
      const key = `${r.districtCode}|${name}`;
      const entity = this.roads.get(key) ?? newRoad(key, name, r.districtCode);
      entity.ids.push(r.id);
      const lines = r.geometry.type === 'LineString' ? [r.geometry.coordinates] : r.geometry.coordinates;
      for (const line of lines) entity.parts.push(Float64Array.from(line.flat()));
      this.roads.set(key, entity);
      this.names.add(name, 'road', key, { short: false });
    }
    addresses.forEach((a, i) => {
      const key = `${a.districtCode}|${normaliseName(a.roadName)}`;
      let entity = this.roads.get(key);
      if (!entity) {
        // House numbers on a road the roads layer lacks still make the road findable.
        entity = newRoad(key, normaliseName(a.roadName), a.districtCode);
        this.roads.set(key, entity);
        this.names.add(entity.name, 'road', key, { short: false });
      }
      entity.numbers.add(i, houseKey(normaliseName(a.houseNumber)), a.number, a.geometry.coordinates);
      entity.streetCodes.add(a.streetCode);
      entity.communityCodes.add(a.communityCode);
    });
    for (const entity of this.roads.values()) {
      entity.numbers.seal();
      entity.midpoint = midpointOf(entity);
    }
  }

  private cityLatitude(): number {
    let sum = 0;
    let n = 0;
    for (const a of this.admin.values()) if (a.point) [sum, n] = [sum + a.point[1], n + 1];
    return n ? sum / n : 30;
  }
}

function newRoad(key: string, name: string, districtCode: string): RoadEntity {
  return {
    key, name, ids: [], districtCode, parts: [], midpoint: [NaN, NaN], numbers: new StreetAddresses(),
    streetCodes: new Set(), communityCodes: new Set(),
  };
}

/** Halfway along the longest part (by degrees: only the choice of part and a point on it matter). */
function midpointOf(road: RoadEntity): [number, number] {
  if (road.parts.length === 0) return road.numbers.middle() ?? [NaN, NaN];
  let best = road.parts[0];
  let bestLength = -1;
  for (const part of road.parts) {
    const length = pathLength(part);
    if (length > bestLength) [best, bestLength] = [part, length];
  }
  let remaining = bestLength / 2;
  for (let i = 2; i < best.length; i += 2) {
    const step = Math.hypot(best[i] - best[i - 2], best[i + 1] - best[i - 1]);
    if (step >= remaining && step > 0) {
      const t = remaining / step;
      return [best[i - 2] + t * (best[i] - best[i - 2]), best[i - 1] + t * (best[i + 1] - best[i - 1])];
    }
    remaining -= step;
  }
  return [best[0], best[1]];
}

function pathLength(part: Float64Array): number {
  let sum = 0;
  for (let i = 2; i < part.length; i += 2) sum += Math.hypot(part[i] - part[i - 2], part[i + 1] - part[i - 1]);
  return sum;
}
