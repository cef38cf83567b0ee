import type { AreaRef } from '../index/territory.js';
import type { GeocodeData, RoadEntity } from './geocode-data.js';
import { NearestLines, NearestPoints, direction } from './nearby.js';

/**
 * Reverse geocoding: a point → its territory (grid, community, street, district), the nearest house
 * number with distance and 方位 (东北方向 35 米), the nearest road and place, and one formatted address
 * in the standard's order: 省市区 + 街道 + 门牌 + 方位 (GB/T 37149 §7.3.2.3 d).
 */
export const DEFAULT_REVERSE_RADIUS_M = 200;
export const MAX_REVERSE_RADIUS_M = 2000;
/** Closer than this to a house number, the point is at it: no 方位 is added. */
const AT_ADDRESS_M = 5;

export interface NearFeature {
  id: string | null;
  name: string;
  distanceM: number;
  /** 方位 from the feature to the point: 东, 东北 … (null when on it). */
  direction: string | null;
  lon: number;
  lat: number;
}

export interface ReverseResult {
  formatted: string | null;
  grid: AreaRef | null;
  community: AreaRef | null;
  street: AreaRef | null;
  district: AreaRef | null;
  address: (NearFeature & { road: string; houseNumber: string; label: string; description: string }) | null;
  road: (Omit<NearFeature, 'lon' | 'lat' | 'direction'>) | null;
  place: (NearFeature & { kind: string }) | null;
}

export class ReverseIndex {
  private readonly addressPoints: NearestPoints;
  private readonly placePoints: NearestPoints;
  private readonly roadLines: NearestLines;
  private readonly roadList: RoadEntity[];

  constructor(private readonly data: GeocodeData) {
    const { kx, ky } = data;
    this.addressPoints = new NearestPoints(data.addresses.map((a) => a.geometry.coordinates as [number, number]), kx, ky);
    this.placePoints = new NearestPoints(data.places.map((p) => [p.lon, p.lat] as const), kx, ky);
    this.roadList = [...data.roads.values()].filter((r) => r.parts.length > 0);
    this.roadLines = new NearestLines(this.roadList.map((r) => r.parts), kx, ky);
  }

  /** Null when the point is in no admin area or grid and no feature lies within the radius. */
  reverse(lon: number, lat: number, radiusM = DEFAULT_REVERSE_RADIUS_M): ReverseResult | null {
    const t = this.data.territory.locate(lon, lat);
    const address = this.nearestAddress(lon, lat, radiusM);
    const roadHit = this.roadLines.nearest(lon, lat, radiusM);
    const road = roadHit ? { id: this.roadList[roadHit.index].ids[0] ?? null, name: this.roadList[roadHit.index].name, distanceM: round(roadHit.distanceM) } : null;
    const place = this.nearestPlace(lon, lat, radiusM);
    if (!t && !address && !road && !place) return null;
    const territory = t ?? { grid: null, community: null, street: null, district: null };
    return { formatted: this.format(territory, address, road, place), ...territory, address, road, place };
  }

  private nearestAddress(lon: number, lat: number, radiusM: number): ReverseResult['address'] {
    const hit = this.addressPoints.nearest(lon, lat, radiusM);
    if (!hit) return null;
    const a = this.data.addresses[hit.index];
    const [alon, alat] = a.geometry.coordinates;
    const near = this.near(a.id, `${a.roadName}${a.houseNumber}`, alon, alat, lon, lat, hit.distanceM);
    const description = near.direction ? `${near.name}${near.direction}方向${Math.round(near.distanceM)}米` : near.name;
    return { ...near, road: a.roadName, houseNumber: a.houseNumber, label: near.name, description };
  }

  private nearestPlace(lon: number, lat: number, radiusM: number): ReverseResult['place'] {
    const hit = this.placePoints.nearest(lon, lat, radiusM);
    if (!hit) return null;
    const p = this.data.places[hit.index];
    return { ...this.near(p.id, p.name, p.lon, p.lat, lon, lat, hit.distanceM), kind: p.kind };
  }

  private near(id: string, name: string, flon: number, flat: number, lon: number, lat: number, d: number): NearFeature {
    const dir = d < AT_ADDRESS_M ? null : direction(flon, flat, lon, lat, this.data.kx, this.data.ky);
    return { id, name, distanceM: round(d), direction: dir, lon: flon, lat: flat };
  }

  /** 浙江省杭州市上城区望江街道望江路108号东北方向35米; without a house number, the place or road nearby. */
  private format(t: Pick<ReverseResult, 'district' | 'street' | 'community'>, address: ReverseResult['address'], road: ReverseResult['road'], place: ReverseResult['place']): string | null {
    const district = t.district ? this.data.admin.get(t.district.code) : undefined;
    const city = district?.parentCode ? this.data.admin.get(district.parentCode) : undefined;
    const province = city?.parentCode ? this.data.admin.get(city.parentCode) : undefined;
    const head = [province?.name, city?.name, t.district?.name, t.street?.name].filter(Boolean).join('');
    if (address) return `${head}${address.description}`;
    if (place) return `${head}${place.name}${place.direction ? `${place.direction}方向${Math.round(place.distanceM)}米` : ''}`;
    if (road) return `${head}${t.community?.name ?? ''}${road.name}附近`;
    return head ? `${head}${t.community?.name ?? ''}` : null;
  }
}

function round(m: number): number {
  return Math.round(m * 10) / 10;
}
