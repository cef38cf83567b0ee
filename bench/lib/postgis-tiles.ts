import pg from 'pg';
import type { Component, Geometry, Grid } from '../../src/domain/types.js';

/**
 * The tile peer: PostGIS cutting the same tiles with ST_AsMVT / ST_AsMVTGeom / ST_TileEnvelope, from the
 * same rows loaded into temporary tables of one session (EPSG:3857, GiST indexes, ANALYZE) — the usual
 * setup of a PostGIS tile server (martin, pg_tileserv) with the projection done at load, not per tile.
 *
 *   components, z < 16  one point per occupied cell of 64 × 64 (mean anchor, count and count_01…06),
 *                       anchors half-open in the tile, like Wanmi's clusters
 *   components, z ≥ 16  every component with its 7 attributes, 64-unit buffer, clipped
 *   grids               grid polygons from z13 (code, name, community) + from z16 a label layer (a point on
 *                       the surface, computed at load as Wanmi computes its labels at build)
 */
export class PostgisTiles {
  private constructor(private readonly client: pg.Client, readonly loadMs: number) {}

  static async load(url: string, components: readonly Component[], grids: readonly Grid[]): Promise<PostgisTiles> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const t = performance.now();
      await loadComponents(client, components);
      await loadGrids(client, grids);
      return new PostgisTiles(client, performance.now() - t);
    } catch (err) {
      await client.end();
      throw err;
    }
  }

  /** One tile's bytes and the wall time of its query (prepared, one connection), or null when empty. */
  async tile(source: 'components' | 'grids', z: number, x: number, y: number): Promise<{ ms: number; bytes: number }> {
    const q = source === 'grids' ? { name: 'bench_grid_tile', text: GRID_TILE } : z < 16
      ? { name: 'bench_cluster_tile', text: CLUSTER_TILE } : { name: 'bench_component_tile', text: COMPONENT_TILE };
    const t = performance.now();
    const r = await this.client.query<{ mvt: Buffer | null }>({ ...q, values: [z, x, y] });
    return { ms: performance.now() - t, bytes: r.rows[0]?.mvt?.length ?? 0 };
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

const BATCH = 50_000;
const TO_3857 = 'ST_Transform(ST_GeomFromText(wkt, 4326), 3857)';

async function loadComponents(client: pg.Client, components: readonly Component[]): Promise<void> {
  await client.query(`CREATE TEMP TABLE bench_tile_components (
    id text, type_code text, major text, name text, state text, owner text, maintainer text,
    geom geometry(Geometry, 3857) NOT NULL, anchor geometry(Point, 3857) NOT NULL, ax float8, ay float8)`);
  for (let i = 0; i < components.length; i += BATCH) {
    const rows = components.slice(i, i + BATCH);
    const col = (f: (c: Component) => string | null) => rows.map(f);
    await client.query(
      `INSERT INTO bench_tile_components (id, type_code, major, name, state, owner, maintainer, geom, anchor, ax, ay)
       SELECT id, type_code, major, name, state, owner, maintainer, g, a, ST_X(a), ST_Y(a)
       FROM (SELECT *, ${TO_3857} AS g FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
             AS t(id, type_code, major, name, state, owner, maintainer, wkt)) s,
       LATERAL (SELECT ST_Centroid(ST_Envelope(g)) AS a) an`,
      [col((c) => c.id), col((c) => c.major + c.minor), col((c) => c.major), col((c) => c.name), col((c) => c.state),
        col((c) => c.ownerUnit), col((c) => c.maintainerUnit), col((c) => toWkt(c.geometry))],
    );
  }
  await client.query('CREATE INDEX ON bench_tile_components USING gist (geom)');
  await client.query('CREATE INDEX ON bench_tile_components USING gist (anchor)');
  await client.query('ANALYZE bench_tile_components');
}

async function loadGrids(client: pg.Client, grids: readonly Grid[]): Promise<void> {
  await client.query(`CREATE TEMP TABLE bench_tile_grids (code text, name text, community text,
    geom geometry(Geometry, 3857) NOT NULL, label geometry(Point, 3857) NOT NULL)`);
  for (let i = 0; i < grids.length; i += BATCH) {
    const rows = grids.slice(i, i + BATCH);
    await client.query(
      `INSERT INTO bench_tile_grids (code, name, community, geom, label)
       SELECT code, name, community, g, ST_PointOnSurface(g)
       FROM (SELECT *, ${TO_3857} AS g FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(code, name, community, wkt)) s`,
      [rows.map((g) => g.code), rows.map((g) => g.name), rows.map((g) => g.communityCode), rows.map((g) => toWkt(g.geometry))],
    );
  }
  await client.query('CREATE INDEX ON bench_tile_grids USING gist (geom)');
  await client.query('CREATE INDEX ON bench_tile_grids USING gist (label)');
  await client.query('ANALYZE bench_tile_grids');
}

const ENVELOPE = `e AS (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
  ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS buf)`;

const MAJOR_COUNTS = ['01', '02', '03', '04', '05', '06'].map((m) => `count(*) FILTER (WHERE c.major = '${m}')::int AS count_${m}`).join(', ');

const CLUSTER_TILE = `WITH ${ENVELOPE}, b AS (SELECT env, ST_XMin(env) AS x0, ST_YMax(env) AS y1, ST_XMax(env) - ST_XMin(env) AS size FROM e)
SELECT ST_AsMVT(t, 'component_clusters', 4096, 'geom') AS mvt FROM (
  SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(avg(c.ax), avg(c.ay)), 3857), b.env, 4096, 0, false) AS geom,
    count(*)::int AS count, ${MAJOR_COUNTS}
  FROM bench_tile_components c, b
  WHERE c.anchor && b.env AND c.ax >= b.x0 AND c.ax < b.x0 + b.size AND c.ay > b.y1 - b.size AND c.ay <= b.y1
  GROUP BY b.env, floor((c.ax - b.x0) * 64 / b.size), floor((b.y1 - c.ay) * 64 / b.size)
) t`;

const COMPONENT_TILE = `WITH ${ENVELOPE}
SELECT ST_AsMVT(t, 'components', 4096, 'geom') AS mvt FROM (
  SELECT ST_AsMVTGeom(c.geom, e.env, 4096, 64, true) AS geom,
    c.id, c.type_code AS "typeCode", c.major, c.name, c.state, c.owner, c.maintainer
  FROM bench_tile_components c, e WHERE c.geom && e.buf
) t`;

const GRID_TILE = `WITH ${ENVELOPE}
SELECT coalesce((SELECT ST_AsMVT(t, 'grids', 4096, 'geom') FROM (
    SELECT ST_AsMVTGeom(g.geom, e.env, 4096, 64, true) AS geom, g.code, g.name, g.community
    FROM bench_tile_grids g, e WHERE $1::int >= 13 AND g.geom && e.buf) t), '')
  || coalesce((SELECT ST_AsMVT(t, 'grid_labels', 4096, 'geom') FROM (
    SELECT ST_AsMVTGeom(g.label, e.env, 4096, 64, true) AS geom, g.code, g.name
    FROM bench_tile_grids g, e WHERE $1::int >= 16 AND g.label && e.buf) t), '') AS mvt`;

/** WKT with full double precision, so PostGIS sees the same vertices. */
function toWkt(g: Geometry): string {
  const pt = (p: number[]) => `${p[0]} ${p[1]}`;
  const line = (l: number[][]) => `(${l.map(pt).join(',')})`;
  const poly = (p: number[][][]) => `(${p.map(line).join(',')})`;
  switch (g.type) {
    case 'Point': return `POINT(${pt(g.coordinates)})`;
    case 'MultiPoint': return `MULTIPOINT(${g.coordinates.map((p) => `(${pt(p)})`).join(',')})`;
    case 'LineString': return `LINESTRING${line(g.coordinates)}`;
    case 'MultiLineString': return `MULTILINESTRING(${g.coordinates.map(line).join(',')})`;
    case 'Polygon': return `POLYGON${poly(g.coordinates)}`;
    case 'MultiPolygon': return `MULTIPOLYGON(${g.coordinates.map(poly).join(',')})`;
  }
}
