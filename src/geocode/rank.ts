import type { AreaRef, Territory } from '../index/territory.js';
import type { GeocodeData } from './geocode-data.js';
import type { Candidate } from './candidates.js';
import type { LevelMatch, ParsedAddress } from './parse.js';
import { GEOCODE_LEVELS, type GeocodeLevel, type GeocodeResult, type GeocodeWarning } from './result.js';

/**
 * Stage 4: give each candidate its territory (grid, community, street, district at its point), check
 * it against what the text said, score it and order the list.
 *
 * Confidence starts from how precise the level is and loses a share for each doubt: an interpolated
 * number, a corrected typo, an admin level that contradicts the match (reported as admin_conflict,
 * never hidden), several equally good matches, text left unparsed.
 */
const LEVEL_CONFIDENCE: Readonly<Record<GeocodeLevel, number>> = { 门牌: 1, 兴趣点: 0.9, 道路: 0.7, 社区: 0.55, 街道: 0.45, 区县: 0.35 };
const PENALTY = { interpolated: 0.85, typo: 0.9, suffixAlias: 0.95, conflict: 0.75, ambiguous: 0.8, leftover: 0.95, outOfRange: 0.8 } as const;

export function rankCandidates(candidates: Candidate[], p: ParsedAddress, data: GeocodeData): GeocodeResult[] {
  const results = candidates.map((c) => scored(c, p, data));
  markAmbiguous(results);
  return dedupe(results).sort((a, b) => b.confidence - a.confidence || GEOCODE_LEVELS[b.level] - GEOCODE_LEVELS[a.level]);
}

function scored(c: Candidate, p: ParsedAddress, data: GeocodeData): GeocodeResult {
  const t = data.territory.locate(c.lon, c.lat) ?? emptyTerritory(c, data);
  const warnings: GeocodeWarning[] = [...c.warnings, ...conflicts(p, t), ...typos(p, c)];
  if (p.leftover.some((l) => /\p{Script=Han}{2,}/u.test(l))) {
    warnings.push({ code: 'unparsed_text', message: `not understood: ${p.leftover.join('、')}` });
  }
  // A crossing is a point, not a whole road: as precise as a place.
  let confidence = c.matched.name.endsWith('交叉口') ? LEVEL_CONFIDENCE.兴趣点 : LEVEL_CONFIDENCE[c.level];
  for (const w of warnings) confidence *= penaltyOf(w);
  return {
    lon: c.lon, lat: c.lat, level: c.level, interpolated: c.interpolated, matched: c.matched,
    confidence: Math.round(confidence * 1000) / 1000, label: labelOf(c, t, data), ...t, warnings,
  };
}

function penaltyOf(w: GeocodeWarning): number {
  switch (w.code) {
    case 'number_interpolated': return PENALTY.interpolated;
    case 'typo_corrected': return isSuffixAlias(w) ? PENALTY.suffixAlias : PENALTY.typo;
    case 'admin_conflict': return PENALTY.conflict;
    case 'unparsed_text': return PENALTY.leftover;
    case 'number_out_of_range': case 'number_not_found': case 'no_crossing': return PENALTY.outOfRange;
    default: return 1;
  }
}

/** What the text said at each admin level against where the match lies. */
function conflicts(p: ParsedAddress, t: Territory): GeocodeWarning[] {
  const out: GeocodeWarning[] = [];
  const check = (level: 'district' | 'street' | 'community', said: LevelMatch | undefined, found: AreaRef | null) => {
    if (!said || !found || said.refs.includes(found.code)) return;
    out.push({
      code: 'admin_conflict', level, said: said.name, found: found.name,
      message: `the address says ${said.name} but the match lies in ${found.name}`,
    });
  };
  check('district', p.district, t.district);
  check('street', p.street, t.street);
  check('community', p.community, t.community);
  return out;
}

/** The name a typo was read as is the candidate's own (a typo can be near several names). */
function typos(p: ParsedAddress, c: Candidate): GeocodeWarning[] {
  const out: GeocodeWarning[] = [];
  const add = (m: LevelMatch | undefined, found: string | undefined) => {
    if (!m?.fuzzy || !found) return;
    out.push({ code: 'typo_corrected', said: m.text, found, message: `read ${m.text} as ${found}` });
  };
  add(p.road, c.road);
  add(p.place, c.place);
  return out;
}

const ROAD_SUFFIX = /(路|街|巷|弄|道|里)$/;

/** 路 for 街 (or 巷, 弄…) is how people misremember a road's kind: a lighter doubt than another character. */
function isSuffixAlias(w: GeocodeWarning): boolean {
  const [said, found] = [w.said ?? '', w.found ?? ''];
  return said.length === found.length && said.slice(0, -1) === found.slice(0, -1) && ROAD_SUFFIX.test(said) && ROAD_SUFFIX.test(found);
}

/** Several different places at the same best level and score: each is marked, none is chosen silently. */
function markAmbiguous(results: GeocodeResult[]): void {
  if (results.length < 2) return;
  const best = Math.max(...results.map((r) => r.confidence));
  const top = results.filter((r) => r.confidence === best);
  const distinct = new Set(top.map((r) => `${r.district?.code}|${r.matched.name}|${r.lon.toFixed(4)},${r.lat.toFixed(4)}`));
  if (distinct.size < 2) return;
  for (const r of top) {
    r.warnings.push({ code: 'ambiguous', message: `${distinct.size} equally good matches; add the district, street or community` });
    r.confidence = Math.round(r.confidence * PENALTY.ambiguous * 1000) / 1000;
  }
}

function dedupe(results: GeocodeResult[]): GeocodeResult[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    const key = `${r.level}|${r.lon}|${r.lat}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A candidate outside every grid and admin polygon still carries its road's district. */
function emptyTerritory(c: Candidate, data: GeocodeData): Territory {
  const code = c.matched.layer === 'roads' ? [...data.roads.values()].find((r) => r.ids.includes(c.matched.id ?? ''))?.districtCode : undefined;
  const district = code ? data.admin.get(code) : undefined;
  return { grid: null, community: null, street: null, district: district ? { code: district.code, name: district.name } : null };
}

/** 浙江省杭州市上城区望江街道望江路108号 — the standard full form, from the match, not from the text. */
function labelOf(c: Candidate, t: Territory, data: GeocodeData): string {
  const district = t.district ? data.admin.get(t.district.code) : undefined;
  const city = district?.parentCode ? data.admin.get(district.parentCode) : undefined;
  const province = city?.parentCode ? data.admin.get(city.parentCode) : undefined;
  const head = [province?.name, city?.name, t.district?.name, t.street?.name].filter(Boolean).join('');
  switch (c.level) {
    case '门牌': return `${head}${c.road}${c.houseNumber}`;
    case '道路': return `${head}${c.road}`;
    case '兴趣点': return `${head}${c.place}`;
    case '社区': return `${head}${t.community?.name ?? c.matched.name}`;
    case '街道': return [province?.name, city?.name, t.district?.name, c.matched.name].filter(Boolean).join('');
    case '区县': return [province?.name, city?.name, c.matched.name].filter(Boolean).join('');
  }
}
