import t from 'tap';
import { readFileSync } from 'node:fs';
import { toCgcs2000 } from '../../src/crs/index.js';
import { geocode } from '../../src/geocode/index.js';
import { SHARED, hangzhouDistrictGeocoder, hongKongCourtGeocoder } from '../helpers/real-geocode-cities.js';

/**
 * Real third-party data from ../shared/data: every Hangzhou district "formatted address" of AMap's
 * adcode table geocodes to its district, and AMap's point for it reverses to it; every uniquely named
 * Hong Kong court is found by its traditional name, and most with a character missing.
 */
t.test('Hangzhou districts: AMap formatted addresses geocode to their district, AMap points reverse to it', async (t) => {
  const { data, districts, territory } = hangzhouDistrictGeocoder();
  t.equal(districts.length, 13);
  const rows = readFileSync(`${SHARED}cn-admin-gazetteer/adcode-release-20191218.csv`, 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split(','))
    .filter(([code]) => districts.some((d) => d.code === code));
  t.ok(rows.length >= 12, `${rows.length} Hangzhou districts in both sets`);
  for (const [code, formatted, , , , , lon, lat] of rows) {
    const first = geocode(data, { text: formatted }).results[0];
    t.equal(first?.district?.code, code, `${formatted} → ${code}`);
    t.equal(first?.level, '区县', `${formatted} is matched at district level`);
    t.equal(territory.locate(first!.lon, first!.lat)?.district?.code, code, `the point for ${formatted} lies inside the district`);
    const [x, y] = toCgcs2000(Number(lon), Number(lat), 'gcj02');
    t.equal(data.reverse.reverse(x, y)?.district?.code, code, `AMap's point for ${code} reverses to it`);
  }
});

t.test('Hong Kong courts: traditional names as places, queried as delivered and with a character missing', async (t) => {
  const { data, courts } = hongKongCourtGeocoder();
  const unique = courts.filter((c) => courts.filter((o) => o.name === c.name).length === 1);
  t.ok(unique.length > 200, `${unique.length} uniquely named courts`);
  let asDelivered = 0;
  let withTypo = 0;
  let typoCases = 0;
  for (const c of unique) {
    const hit = geocode(data, { text: c.name }).results[0];
    if (hit && data.distanceM(hit.lon, hit.lat, c.lon, c.lat) < 50) asDelivered++;
    if (c.name.length >= 5) {
      typoCases++;
      const typo = c.name.slice(0, 2) + c.name.slice(3);
      if (geocode(data, { text: typo }).results.some((r) => data.distanceM(r.lon, r.lat, c.lon, c.lat) < 50)) withTypo++;
    }
  }
  t.equal(asDelivered, unique.length, 'every uniquely named court is found by its traditional name');
  t.ok(withTypo / typoCases >= 0.9, `a dropped character still finds the court: ${withTypo}/${typoCases}`);
});
