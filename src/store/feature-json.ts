/**
 * A GeoPackage row's attributes spelled as its feature's JSON by SQLite itself, so that the history of
 * a first import is written by `INSERT … SELECT` from the rows just loaded instead of as a million JSON
 * texts made in JavaScript and bound one by one (1M components: ~4 µs a row less; history.ts).
 *
 * The text parses to the object `JSON.stringify(feature)` gave for the feature as validated: the same
 * keys in the codec's order (layers.ts `fromRow`), the column values, the `extra` JSON as stored, and
 * the geometry, which the caller supplies as JSON (SQLite cannot read the doubles of a geometry blob).
 * PostGIS has no such spelling: its JSON functions cost more per row (~10 µs) than JSON.stringify plus
 * COPY, which the server parses beside the importer.
 */
type Kind = 'text' | 'integer' | 'json';
type Fields = ReadonlyArray<readonly [field: string, column: string, kind: Kind]>;

const FIELDS: Readonly<Record<string, Fields>> = {
  components: [
    ['id', 'obj_id', 'text'], ['major', 'major', 'text'], ['minor', 'minor', 'text'], ['name', 'name', 'text'],
    ['competentUnit', 'competent_unit', 'text'], ['ownerUnit', 'owner_unit', 'text'], ['maintainerUnit', 'maintainer_unit', 'text'],
    ['gridCode', 'grid_code', 'text'], ['state', 'state', 'text'], ['initialDate', 'initial_date', 'text'],
    ['changedDate', 'changed_date', 'text'], ['dataSource', 'data_source', 'text'], ['note', 'note', 'text'], ['extra', 'extra', 'json'],
  ],
  addresses: [
    ['id', 'addr_id', 'text'], ['roadName', 'road_name', 'text'], ['houseNumber', 'house_number', 'text'], ['number', 'number', 'integer'],
    ['building', 'building', 'text'], ['districtCode', 'district_code', 'text'], ['streetCode', 'street_code', 'text'],
    ['communityCode', 'community_code', 'text'],
  ],
};

/**
 * The SQL expression giving the feature JSON of the row aliased `row`, its geometry taken from the SQL
 * expression `geometry` (JSON); null for a table without a spelling.
 */
export function featureJsonSql(table: string, row: string, geometry: string): string | null {
  const fields = FIELDS[table];
  if (!fields) return null;
  const pairs = fields.map(([f, c, kind]) => `'${f}', ${kind === 'json' ? `json(${row}."${c}")` : `${row}."${c}"`}`);
  return `json_object(${pairs.join(', ')}, 'geometry', ${geometry})`;
}
