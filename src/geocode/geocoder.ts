import { normaliseAddress } from './normalise.js';
import { parseAddress, type ParsedAddress, type LevelMatch } from './parse.js';
import { findCandidates } from './candidates.js';
import { rankCandidates } from './rank.js';
import type { GeocodeData } from './geocode-data.js';
import type { NameLevel } from './names.js';
import type { GeocodeResult } from './result.js';

/**
 * Forward geocoding as a listed pipeline of small stages (pelias-style): each stage reads and extends
 * one ForwardState; the list below is the whole algorithm.
 *
 *   normalise → parse → hints → candidates → rank → limit
 */
export interface ForwardQuery {
  text: string;
  /** A district the client already knows (name or 6-digit code), used like one written in the text. */
  district?: string;
  limit?: number;
}

export interface ForwardState {
  query: ForwardQuery;
  cleaned: string;
  hadTraditional: boolean;
  parsed: ParsedAddress;
  results: GeocodeResult[];
  /** Why there are no results, when there are none. */
  reason: string | null;
}

type Stage = (state: ForwardState, data: GeocodeData) => void;

/** The longest text read; anything past it is dropped before any work (bounded cost for any input). */
export const MAX_ADDRESS_LENGTH = 200;
export const DEFAULT_LIMIT = 5;

const normalise: Stage = (s) => {
  const n = normaliseAddress(s.query.text.slice(0, MAX_ADDRESS_LENGTH * 2));
  s.cleaned = n.text.slice(0, MAX_ADDRESS_LENGTH);
  s.hadTraditional = n.hadTraditional;
  if (!/[\p{Script=Han}\d]/u.test(s.cleaned)) s.reason = 'no_address_text';
};

const parse: Stage = (s, data) => {
  if (s.reason) return;
  s.parsed = parseAddress(s.cleaned, data.names, data.fuzzy);
};

/** A district given as a parameter counts as if written in the text (unless the text names one). */
const hints: Stage = (s, data) => {
  if (s.reason || !s.query.district || s.parsed.district) return;
  const hint = districtHint(s.query.district, data);
  if (hint) s.parsed.district = hint;
};

const candidates: Stage = (s, data) => {
  if (s.reason) return;
  const found = findCandidates(s.parsed, data);
  s.results = rankCandidates(found, s.parsed, data);
  if (s.results.length === 0) s.reason = hasCityLevels(s.parsed) ? 'no_match' : outsideOrNothing(s.parsed);
};

const limit: Stage = (s) => {
  s.results = s.results.slice(0, s.query.limit ?? DEFAULT_LIMIT);
};

export const FORWARD_STAGES: readonly Stage[] = [normalise, parse, hints, candidates, limit];

export function geocode(data: GeocodeData, query: ForwardQuery): ForwardState {
  const state: ForwardState = { query, cleaned: '', hadTraditional: false, parsed: { leftover: [] }, results: [], reason: null };
  for (const stage of FORWARD_STAGES) stage(state, data);
  return state;
}

/** Structured input: each field is matched at its own level, then the same candidates and ranking run. */
export interface StructuredQuery {
  district?: string;
  street?: string;
  community?: string;
  road?: string;
  number?: string;
  building?: string;
  place?: string;
  limit?: number;
}

export function geocodeStructured(data: GeocodeData, q: StructuredQuery): ForwardState {
  const text = [q.district, q.street, q.community, q.road, q.number && `${q.number.replace(/号$/, '')}号`, q.building, q.place]
    .filter(Boolean).join(' ');
  const state: ForwardState = { query: { text, limit: q.limit }, cleaned: '', hadTraditional: false, parsed: { leftover: [] }, results: [], reason: null };
  normalise(state, data);
  if (state.reason) return state;
  const parsed: ParsedAddress = { leftover: [] };
  const fields: Array<[NameLevel, string | undefined]> = [
    ['district', q.district], ['street', q.street], ['community', q.community], ['road', q.road], ['place', q.place],
  ];
  for (const [level, value] of fields) {
    if (!value) continue;
    const m = matchField(value, level, data);
    if (m) parsed[level] = m;
    else parsed.leftover.push(value);
  }
  if (q.number) Object.assign(parsed, parseAddress(normaliseAddress(`${q.number.replace(/号$/, '')}号`).text, data.names, data.fuzzy), { leftover: parsed.leftover });
  if (q.building) parsed.building = normaliseAddress(q.building).text;
  state.parsed = parsed;
  candidates(state, data);
  limit(state, data);
  return state;
}

/** One field at one level: exact, short form, else within one typo. */
function matchField(value: string, level: NameLevel, data: GeocodeData): LevelMatch | undefined {
  const text = normaliseAddress(value).text;
  const entry = data.names.get(text, level);
  if (entry) return { text, name: entry.fullName, refs: entry.refs, short: entry.short, fuzzy: false };
  if (level === 'district' && /^\d{6}$/.test(text) && data.admin.has(text)) {
    return { text, name: data.admin.get(text)!.name, refs: [text], short: false, fuzzy: false };
  }
  const near = data.fuzzy.near(text).find((e) => e.level === level);
  return near ? { text, name: near.fullName, refs: near.refs, short: false, fuzzy: true } : undefined;
}

function districtHint(value: string, data: GeocodeData): LevelMatch | undefined {
  return matchField(value, 'district', data);
}

function hasCityLevels(p: ParsedAddress): boolean {
  return !!(p.road || p.place || p.street || p.community);
}

/** Only province/city/district names outside the city's data, or nothing recognisable at all. */
function outsideOrNothing(p: ParsedAddress): string {
  return p.province || p.city || p.district ? 'outside_city_data' : 'no_match';
}
