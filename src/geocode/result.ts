import type { AreaRef } from '../index/territory.js';

/** Match levels, finest first, with their GB/T 37149 appendix B level numbers. */
export const GEOCODE_LEVELS = { 门牌: 8, 兴趣点: 10, 道路: 6, 社区: 5, 街道: 4, 区县: 3 } as const;
export type GeocodeLevel = keyof typeof GEOCODE_LEVELS;

export type WarningCode =
  | 'admin_conflict' | 'ambiguous' | 'typo_corrected' | 'number_interpolated' | 'number_out_of_range'
  | 'number_not_found' | 'unparsed_text' | 'outside_city_data' | 'no_crossing';

export interface GeocodeWarning {
  code: WarningCode;
  message: string;
  level?: string;
  said?: string;
  found?: string;
}

/** One candidate location for an address, before shaping into GeoJSON. */
export interface GeocodeResult {
  lon: number;
  lat: number;
  level: GeocodeLevel;
  confidence: number;
  interpolated: boolean;
  matched: { layer: 'addresses' | 'roads' | 'places' | 'admin_areas'; id: string | null; name: string };
  /** The standard full address of the result (省市区街道 + 道路 + 门牌 or 兴趣点). */
  label: string;
  grid: AreaRef | null;
  community: AreaRef | null;
  street: AreaRef | null;
  district: AreaRef | null;
  warnings: GeocodeWarning[];
}
