import type { GeocodeData, RoadEntity } from './geocode-data.js';
import type { ParsedAddress } from './parse.js';
import { meetingPoint } from './crossing.js';
import type { GeocodeLevel, GeocodeWarning } from './result.js';

/**
 * Stage 3: where the parsed address could be, along the fallback chain (GB/T 37149's order of
 * preference): the house number on the road → a number interpolated between its neighbours → the
 * road → a place (兴趣点) → the community → the street → the district.
 */
export interface Candidate {
  lon: number;
  lat: number;
  level: GeocodeLevel;
  interpolated: boolean;
  matched: { layer: 'addresses' | 'roads' | 'places' | 'admin_areas'; id: string | null; name: string };
  /** Road or place name and plate, to build the label. */
  road?: string;
  houseNumber?: string;
  place?: string;
  warnings: GeocodeWarning[];
}

export function findCandidates(p: ParsedAddress, data: GeocodeData): Candidate[] {
  const out: Candidate[] = [];
  if (p.road && p.crossRoad && !p.houseNumber) out.push(...crossingCandidates(p, data));
  if (p.road && out.length === 0) {
    const roads = roadCandidates(p, data);
    if (p.crossRoad && !p.houseNumber) {
      const message = `${p.road.name} and ${p.crossRoad.name} do not meet in the data; located to ${p.road.name}`;
      for (const c of roads) c.warnings.push({ code: 'no_crossing', message });
    }
    out.push(...roads);
  }
  if (p.place) out.push(...placeCandidates(p, data));
  if (out.length === 0) out.push(...adminCandidates(p, data));
  return out;
}

function roadCandidates(p: ParsedAddress, data: GeocodeData): Candidate[] {
  const roads = preferInContext(p.road!.refs.map((k) => data.roads.get(k)).filter((r): r is RoadEntity => !!r), p, (r) => ({
    district: [r.districtCode], street: [...r.streetCodes], community: [...r.communityCodes],
  }));
  return roads.flatMap((road) => (p.houseNumber ? numberOnRoad(road, p, data) : [roadPoint(road, p, data)]));
}

/**
 * The plate on the road. A long road cut into stretches can carry the same number twice (numbering
 * restarts per stretch): the street or community in the text chooses; otherwise each is a candidate.
 */
/** 望江路与秋涛路交叉口: where a road of the first name meets one of the second. */
function crossingCandidates(p: ParsedAddress, data: GeocodeData): Candidate[] {
  const roadsOf = (refs: string[]) => refs.map((k) => data.roads.get(k)).filter((r): r is RoadEntity => !!r && r.parts.length > 0);
  const out: Candidate[] = [];
  for (const a of roadsOf(p.road!.refs)) {
    for (const b of roadsOf(p.crossRoad!.refs)) {
      const at = meetingPoint(a.parts, b.parts, data.kx, data.ky);
      if (!at) continue;
      const name = `${a.name}与${b.name}交叉口`;
      out.push({ lon: at[0], lat: at[1], level: '道路', interpolated: false, road: name, matched: { layer: 'roads', id: a.ids[0] ?? null, name }, warnings: [] });
    }
  }
  return out;
}

function numberOnRoad(road: RoadEntity, p: ParsedAddress, data: GeocodeData): Candidate[] {
  const plate = p.houseNumber!;
  const exact = preferInContext(road.numbers.exact(plate.text), p, (hit) => {
    const a = data.addresses[hit.address];
    return { district: [a.districtCode], street: [a.streetCode], community: [a.communityCode] };
  });
  if (exact.length) {
    return exact.map((hit) => {
      const address = data.addresses[hit.address];
      return {
        road: road.name, lon: hit.lon, lat: hit.lat, level: '门牌' as const, interpolated: false, houseNumber: address.houseNumber,
        matched: { layer: 'addresses' as const, id: address.id, name: `${road.name}${address.houseNumber}` }, warnings: [],
      };
    });
  }
  return [numberBetween(road, plate)];
}

function numberBetween(road: RoadEntity, plate: { text: string; value: number }): Candidate {
  const base = { road: road.name, matched: { layer: 'roads' as const, id: road.ids[0] ?? null, name: road.name } };
  const between = road.numbers.interpolate(plate.value);
  if (between) {
    return {
      ...base, lon: between.lon, lat: between.lat, level: '门牌', interpolated: true, houseNumber: `${plate.text}号`,
      warnings: [{ code: 'number_interpolated', message: `${road.name}${plate.text}号 is not in the address data; placed between its neighbours on the same side` }],
    };
  }
  const last = road.numbers.lastNumber(plate.value);
  const end = road.numbers.endNearest(plate.value);
  const [lon, lat] = end ? [end.lon, end.lat] : road.midpoint;
  const warning: GeocodeWarning = last === null
    ? { code: 'number_not_found', message: `${road.name} has no house numbers on that side in the data; located to the road` }
    : { code: 'number_out_of_range', message: `${road.name}${plate.text}号 is beyond the numbers in the data (last on that side: ${last}号); located to the end of the numbered stretch` };
  return { ...base, lon, lat, level: '道路', interpolated: false, warnings: [warning] };
}

/** The road itself: its middle, or its middle house inside the community or street the text names. */
function roadPoint(road: RoadEntity, p: ParsedAddress, data: GeocodeData): Candidate {
  let [lon, lat] = road.midpoint;
  const area = p.community?.refs ?? p.street?.refs;
  if (area) {
    const inArea = [...road.numbers.all()].flatMap(([, idx]) => idx).filter((i) => {
      const a = data.addresses[i];
      return area.includes(a.communityCode) || area.includes(a.streetCode);
    });
    if (inArea.length) [lon, lat] = data.addresses[inArea[inArea.length >> 1]].geometry.coordinates;
  }
  return {
    lon, lat, level: '道路', interpolated: false, road: road.name,
    matched: { layer: 'roads', id: road.ids[0] ?? null, name: road.name }, warnings: [],
  };
}

function placeCandidates(p: ParsedAddress, data: GeocodeData): Candidate[] {
  const all = p.place!.refs.map((i) => data.places[Number(i)]);
  // 庆和路清泰府: of the buildings with that name, the one on the road the text names.
  const onRoad = p.road ? all.filter((pl) => pl.road === p.road!.name) : [];
  const places = onRoad.length ? onRoad : all;
  const located = places.map((place) => ({ place, t: data.territory.locate(place.lon, place.lat) }));
  const kept = preferInContext(located, p, ({ t }) => ({
    district: t?.district ? [t.district.code] : [], street: t?.street ? [t.street.code] : [], community: t?.community ? [t.community.code] : [],
  }));
  return kept.map(({ place }) => ({
    lon: place.lon, lat: place.lat, level: '兴趣点', interpolated: false, place: place.name,
    matched: { layer: 'places', id: place.id, name: place.name }, warnings: [],
  }));
}

/** The finest admin level the text names and the city's data covers. */
function adminCandidates(p: ParsedAddress, data: GeocodeData): Candidate[] {
  const levels: Array<['community' | 'street' | 'district', GeocodeLevel]> = [['community', '社区'], ['street', '街道'], ['district', '区县']];
  for (const [level, label] of levels) {
    const said = p[level];
    if (!said) continue;
    const areas = said.refs.map((code) => data.admin.get(code)).filter((a) => a?.point);
    const kept = preferInContext(areas, p, (a) => ({ [parentLevel(level)]: a?.parentCode ? [a.parentCode] : [] }));
    if (kept.length) {
      return kept.map((a) => ({
        lon: a!.point![0], lat: a!.point![1], level: label, interpolated: false,
        matched: { layer: 'admin_areas', id: a!.code, name: a!.name }, warnings: [],
      }));
    }
  }
  return [];
}

function parentLevel(level: 'community' | 'street' | 'district'): 'street' | 'district' | 'city' {
  return level === 'community' ? 'street' : level === 'street' ? 'district' : 'city';
}

type Context = Partial<Record<'district' | 'street' | 'community' | 'city', string[]>>;

/**
 * Keeps the candidates that agree with the admin levels the text names; if none agrees, keeps them
 * all (ranking then reports the conflict rather than hiding the match).
 */
function preferInContext<T>(items: T[], p: ParsedAddress, codesOf: (item: T) => Context): T[] {
  if (items.length <= 1) return items;
  const agree = items.filter((item) => {
    const codes = codesOf(item);
    return (['district', 'street', 'community', 'city'] as const).every((level) => {
      const said = p[level]?.refs;
      const have = codes[level];
      return !said || !have || have.length === 0 || have.some((c) => said.includes(c));
    });
  });
  return agree.length ? agree : items;
}
