import pg from 'pg';
import type { Grid, MultiPolygonGeometry, PolygonGeometry } from '../../src/domain/types.js';

/** The peer: PostGIS answering one prepared ST_Contains query per point over a GiST index. */
export interface PostgisRun {
  loadMs: number;
  queries: number;
  queriesPerSec: number;
  /** Code PostGIS returned for each point, or null when no grid contains it. */
  codes: Array<string | null>;
}

const TABLE = 'bench_grids';
const QUERY = `SELECT code FROM ${TABLE} WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint($1, $2), 4490)) LIMIT 1`;

/**
 * Loads the grids into a temporary table (one INSERT … SELECT FROM unnest of WKT, then a GiST index and
 * ANALYZE), then times `points` sequential prepared queries over the one connection. The table is
 * dropped before returning, whatever happens.
 */
export async function postgisPointQueries(url: string, grids: readonly Grid[], points: Float64Array): Promise<PostgisRun> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let t = performance.now();
    await client.query(`DROP TABLE IF EXISTS pg_temp.${TABLE}`);
    await client.query(`CREATE TEMP TABLE ${TABLE} (code text NOT NULL, geom geometry(Geometry, 4490) NOT NULL)`);
    await client.query(
      `INSERT INTO ${TABLE} (code, geom) SELECT code, ST_GeomFromText(wkt, 4490) FROM unnest($1::text[], $2::text[]) AS t(code, wkt)`,
      [grids.map((g) => g.code), grids.map((g) => toWkt(g.geometry))],
    );
    await client.query(`CREATE INDEX ON ${TABLE} USING gist (geom)`);
    await client.query(`ANALYZE ${TABLE}`);
    const loadMs = performance.now() - t;
    const n = points.length / 2;
    // Warm the prepared statement and the cache on a few points first.
    for (let i = 0; i < Math.min(200, n); i++) await client.query({ name: 'bench_pip', text: QUERY, values: [points[2 * i], points[2 * i + 1]] });
    const codes: Array<string | null> = new Array(n);
    t = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await client.query<{ code: string }>({ name: 'bench_pip', text: QUERY, values: [points[2 * i], points[2 * i + 1]] });
      codes[i] = r.rows.length ? r.rows[0].code : null;
    }
    const ms = performance.now() - t;
    return { loadMs, queries: n, queriesPerSec: n / (ms / 1000), codes };
  } finally {
    await client.query(`DROP TABLE IF EXISTS pg_temp.${TABLE}`).catch(() => undefined);
    await client.end();
  }
}

/** WKT with full double precision (JavaScript's shortest round-trip form), so PostGIS sees the same vertices. */
function toWkt(g: PolygonGeometry | MultiPolygonGeometry): string {
  const ring = (r: number[][]) => `(${r.map((p) => `${p[0]} ${p[1]}`).join(',')})`;
  const polygon = (p: number[][][]) => `(${p.map(ring).join(',')})`;
  return g.type === 'Polygon' ? `POLYGON${polygon(g.coordinates)}` : `MULTIPOLYGON(${g.coordinates.map(polygon).join(',')})`;
}
