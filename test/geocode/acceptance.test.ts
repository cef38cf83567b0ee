import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { geocode, geocodeStructured, type ForwardState } from '../../src/geocode/index.js';
import type { StructuredQuery } from '../../src/geocode/geocoder.js';
import { geocodeTestCity } from '../helpers/geocode-city.js';
import { hangzhouDistrictGeocoder, hongKongCourtGeocoder } from '../helpers/real-geocode-cities.js';
import type { GeocodeData } from '../../src/geocode/index.js';

/** Runs every case in test/acceptance/geocode/*.json (format in that folder's README). */
interface Case {
  id: string;
  in: string | { address: string; district?: string } | { structured: StructuredQuery };
  expected: {
    level?: string; near?: { road: string; houseNumber: string; district?: string }; withinM?: number;
    district?: string; street?: string; community?: string; warnings?: string[]; interpolated?: boolean;
    matched?: string; reason?: string; minConfidence?: number; count?: number;
    /** [lon, lat] (CGCS2000) the first result must lie within withinM of. */
    nearPoint?: [number, number];
  };
  unexpected?: { warnings?: string[]; level?: string; results?: boolean };
}

/** A file is a list of cases over the demo test city, or {city, cases} over a real-data geocoder. */
type CaseFile = Case[] | { city: 'hong-kong-courts' | 'hangzhou-districts'; cases: Case[] };

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'acceptance', 'geocode');
const demo = geocodeTestCity();
const CITIES: Record<string, () => GeocodeData> = {
  'hong-kong-courts': () => hongKongCourtGeocoder().data,
  'hangzhou-districts': () => hangzhouDistrictGeocoder().data,
};

function run(data: GeocodeData, c: Case): ForwardState {
  if (typeof c.in === 'string') return geocode(data, { text: c.in });
  if ('structured' in c.in) return geocodeStructured(data, c.in.structured);
  return geocode(data, { text: c.in.address, district: c.in.district });
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const content = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CaseFile;
  const cases = Array.isArray(content) ? content : content.cases;
  t.test(file, async (t) => {
    const data = Array.isArray(content) ? demo.data : CITIES[content.city]();
    for (const c of cases) {
      t.test(c.id, async (t) => {
        const s = run(data, c);
        const first = s.results[0];
        const e = c.expected;
        const why = JSON.stringify({ cleaned: s.cleaned, reason: s.reason, first: first && { level: first.level, label: first.label, warnings: first.warnings.map((w) => w.code) } });
        if (e.count !== undefined) t.equal(s.results.length, e.count, `count — ${why}`);
        if (e.reason !== undefined) t.equal(s.reason, e.reason, 'reason');
        if (c.unexpected?.results) t.equal(s.results.length, 0, 'no results');
        const needsFirst = ['level', 'near', 'nearPoint', 'district', 'street', 'community', 'warnings', 'interpolated', 'matched', 'minConfidence'].some((k) => k in e);
        if (!needsFirst) return;
        if (!t.ok(first, `a result — ${why}`)) return;
        if (e.level) t.equal(first.level, e.level, `level — ${why}`);
        if (e.interpolated !== undefined) t.equal(first.interpolated, e.interpolated, 'interpolated');
        if (e.district) t.equal(first.district?.code, e.district, `district — ${why}`);
        if (e.street) t.equal(first.street?.code, e.street, `street — ${why}`);
        if (e.community) t.equal(first.community?.code, e.community, 'community');
        if (e.matched) t.equal(first.matched.name, e.matched, 'matched feature');
        if (e.minConfidence !== undefined) t.ok(first.confidence >= e.minConfidence, `confidence ${first.confidence} ≥ ${e.minConfidence}`);
        for (const w of e.warnings ?? []) t.ok(first.warnings.some((x) => x.code === w), `warning ${w} — ${why}`);
        for (const w of c.unexpected?.warnings ?? []) t.notOk(first.warnings.some((x) => x.code === w), `no warning ${w} — ${why}`);
        if (c.unexpected?.level) t.not(first.level, c.unexpected.level, 'not this level');
        if (e.nearPoint) {
          const d = data.distanceM(first.lon, first.lat, e.nearPoint[0], e.nearPoint[1]);
          t.ok(d <= (e.withinM ?? 50), `within ${e.withinM ?? 50} m of ${e.nearPoint.join(', ')}: ${d.toFixed(1)} m`);
        }
        if (e.near) {
          const target = demo.addresses.find((a) => a.roadName === e.near!.road && a.houseNumber === e.near!.houseNumber && (!e.near!.district || a.districtCode === e.near!.district));
          if (!t.ok(target, `the address ${e.near.road}${e.near.houseNumber} exists in the data`)) return;
          const [lon, lat] = target!.geometry.coordinates;
          const d = data.distanceM(first.lon, first.lat, lon, lat);
          t.ok(d <= (e.withinM ?? 50), `within ${e.withinM ?? 50} m of ${e.near.road}${e.near.houseNumber}: ${d.toFixed(1)} m — ${why}`);
        }
      });
    }
  });
}
