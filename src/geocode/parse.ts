import type { NameDictionary, NameEntry, NameLevel } from './names.js';
import { NAME_LEVELS } from './names.js';
import type { FuzzyNames } from './fuzzy.js';

/**
 * Stage 2: split a normalised address into levels (GB/T 37149 appendix B): province, city, district,
 * street, community, road, house number, building/unit/floor/room, place.
 *
 * A longest-match scan over the name dictionary assigns each known name to its level, whatever the
 * order the levels come in and whichever are missing; numbers are read by the words after them
 * (号, 栋/幢/号楼, 单元, 层, 室). What the scan cannot place is kept as leftover text; when no road or
 * place was found, the leftover right before the house number (or any leftover) is matched against
 * road and place names within one typo.
 */
export interface LevelMatch {
  /** The text as it appeared in the (normalised) query. */
  text: string;
  /** The full name it stands for. */
  name: string;
  refs: string[];
  /** True when the text was a short form (上城 for 上城区). */
  short: boolean;
  /** True when the text was within one typo of the name, not equal to it. */
  fuzzy: boolean;
}

export interface ParsedAddress {
  province?: LevelMatch;
  city?: LevelMatch;
  district?: LevelMatch;
  street?: LevelMatch;
  community?: LevelMatch;
  road?: LevelMatch;
  /** A second road: 望江路与秋涛路(交叉口) names where the two meet. */
  crossRoad?: LevelMatch;
  place?: LevelMatch;
  /** 门牌号: "108" or "12-1" and its number. */
  houseNumber?: { text: string; value: number };
  building?: string;
  unit?: string;
  floor?: string;
  room?: string;
  /** Text the parser could not place. */
  leftover: string[];
}

interface Hit {
  entry: NameEntry;
  start: number;
  end: number;
}

const NUMBER_TOKEN = /^(\d+(?:-\d+)?)(号楼|号院|号|栋|幢|座|单元|层|楼|室|户)?/;

export function parseAddress(text: string, names: NameDictionary, fuzzy: FuzzyNames): ParsedAddress {
  const parsed: ParsedAddress = { leftover: [] };
  const hits: Hit[] = [];
  let numberStart = -1;
  let spanStart = -1;
  const closeSpan = (end: number) => {
    if (spanStart >= 0) parsed.leftover.push(text.slice(spanStart, end));
    spanStart = -1;
  };
  let pos = 0;
  while (pos < text.length) {
    const number = /\d/.test(text[pos]) ? NUMBER_TOKEN.exec(text.slice(pos)) : null;
    if (number) {
      closeSpan(pos);
      if (readNumber(parsed, number[1], number[2]) && numberStart < 0) numberStart = pos;
      pos += number[0].length;
      continue;
    }
    const entry = pickEntry(names.matchesAt(text, pos), parsed);
    if (entry) {
      closeSpan(pos);
      hits.push({ entry, start: pos, end: pos + entry.text.length });
      assign(parsed, entry.level, match(entry, entry.text, false));
      pos += entry.text.length;
      continue;
    }
    if (spanStart < 0) spanStart = pos;
    pos++;
  }
  closeSpan(text.length);
  if (parsed.crossRoad) parsed.leftover = parsed.leftover.filter((l) => !CROSSING_WORDS.test(l));
  // Only text the scan could not explain is worth a typo repair: leftovers, or a plate with no road.
  const unexplained = parsed.leftover.length > 0 || (parsed.houseNumber && !parsed.road);
  if (!parsed.road && !parsed.place && unexplained) repairTypo(parsed, text, hits, numberStart, fuzzy);
  return parsed;
}

/** Among names starting here (longest first), the longest; at equal length, a level still empty and nearest the end. */
function pickEntry(candidates: NameEntry[], parsed: ParsedAddress): NameEntry | undefined {
  if (candidates.length <= 1) return candidates[0];
  const longest = candidates[0].text.length;
  const tied = candidates.filter((c) => c.text.length === longest);
  const free = tied.filter((c) => !parsed[c.level]);
  const pool = free.length ? free : tied;
  // Full names before short forms, then the finer level (a 望江 after 上城区 is more likely the street).
  return pool.sort((a, b) => Number(a.short) - Number(b.short) || NAME_LEVELS.indexOf(b.level) - NAME_LEVELS.indexOf(a.level))[0];
}

function match(entry: NameEntry, text: string, fuzzy: boolean): LevelMatch {
  return { text, name: entry.fullName, refs: entry.refs, short: entry.short, fuzzy };
}

/** The first name of each level counts; a second road is the cross road (望江路与秋涛路交叉口). */
function assign(parsed: ParsedAddress, level: NameLevel, m: LevelMatch): void {
  if (!parsed[level]) parsed[level] = m;
  else if (level === 'road' && !parsed.crossRoad && m.name !== parsed.road?.name) parsed.crossRoad = m;
  else parsed.leftover.push(m.text);
}

/** Words between and after two road names that mean "where they meet". */
const CROSSING_WORDS = /^(与|和|及|同|跟|交叉口|交叉路口|交口|路口|十字路口|丁字路口|口)+$/;

/** Returns true when the token was the house number. */
function readNumber(parsed: ParsedAddress, digits: string, word: string | undefined): boolean {
  switch (word) {
    case '号楼': case '栋': case '幢': case '座':
      parsed.building ??= `${digits}${word === '号楼' ? '号楼' : '幢'}`;
      return false;
    case '单元':
      parsed.unit ??= digits;
      return false;
    case '层': case '楼':
      parsed.floor ??= digits;
      return false;
    case '室': case '户':
      parsed.room ??= digits;
      return false;
    default:
      if (!parsed.houseNumber) {
        parsed.houseNumber = { text: digits, value: parseInt(digits, 10) };
        return true;
      }
      // "108号3-501": after the plate, a bare number is a room.
      parsed.room ??= digits;
      return false;
  }
}

/**
 * No road or place was recognised: look for one within one typo in the text between the last full
 * admin name and the house number (or in each leftover), taking the longest match that ends latest.
 * Short forms found inside the repaired stretch (望江 in 望江陆) are dropped.
 */
function repairTypo(parsed: ParsedAddress, text: string, hits: Hit[], numberStart: number, fuzzy: FuzzyNames): void {
  const windowEnd = numberStart >= 0 ? numberStart : text.length;
  const anchors = hits.filter((h) => !h.entry.short && h.end <= windowEnd);
  const windowStart = anchors.length ? anchors[anchors.length - 1].end : 0;
  const window = text.slice(windowStart, windowEnd).slice(-24);
  const found = bestNear(window, fuzzy);
  if (!found) return;
  const { entries, text: typed } = found;
  const entry = entries[0];
  assign(parsed, entry.level, { ...match(entry, typed, true), refs: [...new Set(entries.flatMap((e) => e.refs))] });
  for (const h of hits) {
    const inside = h.start >= windowEnd - window.length + found.start && h.end <= windowEnd - window.length + found.start + typed.length;
    if (inside && h.entry.short && parsed[h.entry.level]?.text === h.entry.text) delete parsed[h.entry.level];
  }
  parsed.leftover = parsed.leftover.filter((l) => !typed.includes(l) && !l.includes(typed));
}

/**
 * The longest piece of the window within one typo of some road or place names, latest first; every
 * name at that distance is kept (石桥街 is one edit from 石桥路 and from 石桥街…), so the candidates
 * stage can choose by the admin levels and the house number the text also gives.
 */
function bestNear(window: string, fuzzy: FuzzyNames): { entries: NameEntry[]; text: string; start: number } | null {
  for (let length = Math.min(window.length, 12); length >= 2; length--) {
    for (let start = window.length - length; start >= 0; start--) {
      const piece = window.slice(start, start + length);
      const near = fuzzy.near(piece).filter((e) => e.level === 'road' || e.level === 'place');
      if (near.length === 0) continue;
      // One level only: roads before places.
      const level = near.some((e) => e.level === 'road') ? 'road' : 'place';
      return { entries: near.filter((e) => e.level === level), text: piece, start };
    }
  }
  return null;
}
