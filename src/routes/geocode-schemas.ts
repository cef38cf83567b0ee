import { Type } from 'typebox';
import { NullableAreaRef } from './schemas.js';

/** JSON schemas of the geocoding responses (GeoJSON FeatureCollections, Pelias-style echo). */
export const OUTPUT_CRS = ['cgcs2000', 'wgs84', 'gcj02', 'bd09'] as const;

export const OutputCrsParam = Type.Optional(Type.Union(OUTPUT_CRS.map((c) => Type.Literal(c)), {
  default: 'cgcs2000',
  description: 'CRS of the coordinates in the response: cgcs2000 (EPSG:4490, default), wgs84, gcj02 (AMap/Tencent), bd09 (Baidu)',
}));

export const LimitParam = Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 5, description: 'Most results to return' }));

const Warning = Type.Object({
  code: Type.String({ description: 'admin_conflict, ambiguous, typo_corrected, number_interpolated, number_out_of_range, number_not_found, unparsed_text, no_crossing' }),
  message: Type.String(),
  level: Type.Optional(Type.String()),
  said: Type.Optional(Type.String()),
  found: Type.Optional(Type.String()),
});

export const GeocodeFeature = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }) }),
  properties: Type.Object({
    level: Type.String({ description: '门牌 (house number), 兴趣点 (place), 道路 (road), 社区, 街道, 区县' }),
    levelRank: Type.Integer({ description: 'GB/T 37149 appendix B level: 8 门牌, 10 兴趣点, 6 道路, 5 社区, 4 街道, 3 区县' }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    interpolated: Type.Boolean({ description: 'True when the house number is not in the data and was placed between its neighbours' }),
    label: Type.String({ description: 'Standard full address of the match' }),
    matched: Type.Object({ layer: Type.String(), id: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
    grid: NullableAreaRef,
    community: NullableAreaRef,
    street: NullableAreaRef,
    district: NullableAreaRef,
    warnings: Type.Array(Warning),
  }),
});

const QueryEcho = Type.Object({
  text: Type.String({ description: 'The address as received' }),
  cleaned: Type.String({ description: 'After normalisation (NFKC, simplified characters, Arabic house numbers, no punctuation)' }),
  traditional: Type.Boolean({ description: 'The text held traditional characters' }),
  parsed: Type.Object({}, { additionalProperties: true, description: 'Levels found: province, city, district, street, community, road, houseNumber, building, unit, floor, room, place, leftover' }),
});

export const GeocodeCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  crs: Type.String({ description: 'CRS of the coordinates: EPSG:4490, EPSG:4326, GCJ-02 or BD-09' }),
  geocoding: Type.Object({
    query: QueryEcho,
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why there are no results: no_address_text, no_match, outside_city_data' }),
    dataVersion: Type.Integer(),
  }),
  features: Type.Array(GeocodeFeature),
});

const NearFeature = {
  id: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  distanceM: Type.Number(),
};
const NearPoint = {
  ...NearFeature,
  direction: Type.Union([Type.String(), Type.Null()], { description: '方位 from the feature to the point: 东, 东北, 北 …' }),
  lon: Type.Number(),
  lat: Type.Number(),
};

export const ReverseBody = {
  formatted: Type.Union([Type.String(), Type.Null()], { description: 'e.g. 浙江省杭州市上城区望江街道望江路108号东北方向35米' }),
  grid: NullableAreaRef,
  community: NullableAreaRef,
  street: NullableAreaRef,
  district: NullableAreaRef,
  address: Type.Union([Type.Object({
    ...NearPoint, road: Type.String(), houseNumber: Type.String(), label: Type.String(), description: Type.String(),
  }), Type.Null()]),
  road: Type.Union([Type.Object(NearFeature), Type.Null()]),
  place: Type.Union([Type.Object({ ...NearPoint, kind: Type.String() }), Type.Null()]),
};
