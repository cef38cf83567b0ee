import { normaliseAddress } from './normalise.js';
import { geocode, MAX_ADDRESS_LENGTH } from './geocoder.js';
import type { GeocodeData } from './geocode-data.js';
import type { NameEntry, NameLevel } from './names.js';
import type { GeocodeResult } from './result.js';

/**
 * Type-ahead for the hotline operator and the map's search box: the text typed so far → up to `limit`
 * completions, each geocoded like a full address. The word being typed is the longest tail of the text
 * that starts some name (road, place, community, street, district); a number typed after a known road
 * completes to that road's house numbers.
 */
export interface Completion {
  text: string;
  result: GeocodeResult;
}

const LEVEL_ORDER: readonly NameLevel[] = ['road', 'place', 'community', 'street', 'district'];
const MAX_TAIL = 12;

export class NamePrefixes {
  private readonly sorted: NameEntry[];

  constructor(entries: Iterable<NameEntry>) {
    this.sorted = [...entries].filter((e) => !e.short && LEVEL_ORDER.includes(e.level)).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  }

  /** Names starting with the prefix, in text order. */
  startingWith(prefix: string): NameEntry[] {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].text < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: NameEntry[] = [];
    for (let i = lo; i < this.sorted.length && this.sorted[i].text.startsWith(prefix); i++) out.push(this.sorted[i]);
    return out;
  }
}

export function autocomplete(data: GeocodeData, typed: string, limit: number): { cleaned: string; completions: Completion[] } {
  const cleaned = normaliseAddress(typed.slice(0, MAX_ADDRESS_LENGTH * 2)).text.slice(0, MAX_ADDRESS_LENGTH);
  if (!cleaned) return { cleaned, completions: [] };
  const plates = completePlate(data, cleaned, limit);
  if (plates) return { cleaned, completions: plates };
  for (let n = Math.min(MAX_TAIL, cleaned.length); n >= 1; n--) {
    const head = cleaned.slice(0, -n) ;
    const names = data.prefixes.startingWith(cleaned.slice(-n));
    if (names.length === 0) continue;
    const ordered = names.sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || a.text.length - b.text.length);
    return { cleaned, completions: geocodeEach(data, ordered.map((e) => head + e.text), limit) };
  }
  return { cleaned, completions: [] };
}

/** "望江路10" → 望江路10号, 望江路100号, 望江路102号 …: the road is known, the number is being typed. */
function completePlate(data: GeocodeData, cleaned: string, limit: number): Completion[] | null {
  const m = /^(.*?)(\d+)$/.exec(cleaned);
  if (!m) return null;
  const head = geocode(data, { text: m[1], limit: 1 });
  const road = head.parsed.road;
  if (!road) return null;
  const entity = road.refs.map((k) => data.roads.get(k)).find((r) => r && r.numbers.size > 0);
  if (!entity) return null;
  const plates = entity.numbers.keysStartingWith(m[2], limit);
  return geocodeEach(data, plates.map((p) => `${m[1]}${p}号`), limit);
}

function geocodeEach(data: GeocodeData, texts: string[], limit: number): Completion[] {
  const out: Completion[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    if (out.length >= limit) break;
    const best = geocode(data, { text, limit: 1 }).results[0];
    if (!best || seen.has(best.label)) continue;
    seen.add(best.label);
    out.push({ text, result: best });
  }
  return out;
}
