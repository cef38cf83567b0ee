import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { LayerCodec } from './layers.js';
import { GEOM, SRID, geometrySelect, readGeometry, demote, isSqlite, promote } from './spatial-table.js';
import { updateContentsExtent, dropRtreeTriggers, createRtreeTriggers } from './gpkg.js';
import { decodeGpkgGeometry, encodeGpkgGeometry } from './gpkg-geometry.js';
import { encodeEwkb, geometryEnvelope, type Envelope } from './wkb.js';
import { loadRtree } from './gpkg-rtree.js';
import type { Geometry } from '../domain/types.js';

/**
 * Generic reading and writing of a layer through its codec. The caller owns the transaction:
 * pass a Knex.Transaction to make several writes all-or-nothing.
 */

/** Inserts features through the store's bulk path (a FeatureLoad of one batch), in one transaction. */
export async function insertFeatures<T extends { geometry: unknown }>(
  db: Knex | Knex.Transaction, codec: LayerCodec<T>, items: readonly T[],
): Promise<void> {
  if (items.length === 0) return;
  if (!db.isTransaction) return (db as Knex).transaction((trx) => insertFeatures(trx, codec, items));
  const load = await startFeatureLoad(db, codec);
  await load.insert(items);
  await load.finish();
}

/**
 * Features written to one layer in several batches, inside the caller's transaction: `insert` each
 * batch, then `finish` once. PostGIS: each batch is one COPY, geometries as EWKB hex. GeoPackage: rows
 * go through a prepared statement on knex's own connection (knex's builder costs ~5× SQLite's own
 * work) with the R-tree's insert trigger dropped (it would call into JavaScript five times a row);
 * `finish` indexes the new rows — a packed bulk load (gpkg-rtree.ts) when they outnumber the indexed
 * ones, else row by row — restores the trigger and widens the layer extent. Deletes between batches
 * keep their trigger and so unindex their rows.
 */
export interface FeatureLoad<T> {
  /** Resolves to the new rows' fids in order on a GeoPackage (history.ts finds them by it); PostGIS: []. */
  insert(items: readonly T[]): Promise<number[]>;
  finish(): Promise<void>;
}

export async function startFeatureLoad<T extends { geometry: unknown }>(db: Knex | Knex.Transaction, codec: LayerCodec<T>): Promise<FeatureLoad<T>> {
  if (isSqlite(db)) return startGpkgLoad(db, codec);
  const geometryHex = (item: T) => encodeEwkb(promote(item.geometry as Geometry, codec.geometryType), SRID).toString('hex');
  return {
    async insert(items) {
      if (items.length === 0) return [];
      const columns = Object.keys(codec.toRow(items[0]));
      // Rows are made as COPY takes them, so each is garbage once sent.
      function* rows(): Generator<unknown[]> {
        for (const item of items) {
          const r = codec.toRow(item);
          const values: unknown[] = columns.map((c) => r[c]);
          values.push(geometryHex(item));
          yield values;
        }
      }
      await bulkInsert(db, codec.table, [...columns, GEOM], rows());
      return [];
    },
    finish: async () => undefined,
  };
}

/** Below this many new rows the R-tree is fed row by row. */
const PACK_MIN = 1000;

async function startGpkgLoad<T extends { geometry: unknown }>(db: Knex | Knex.Transaction, codec: LayerCodec<T>): Promise<FeatureLoad<T>> {
  const rtree = `rtree_${codec.table}_${GEOM}`;
  const wasEmpty = !(await db(codec.table).first(db.raw('1 AS one')));
  await dropRtreeTriggers(db, codec.table, GEOM, ['insert']);
  const pending = new BoxList();
  const extent: Envelope = [Infinity, Infinity, -Infinity, -Infinity];
  let columns: string[] | null = null;
  return {
    async insert(items) {
      if (items.length === 0) return [];
      columns ??= Object.keys(codec.toRow(items[0]));
      const cols = columns;
      const all = [...cols, GEOM];
      const sql = `INSERT INTO "${codec.table}" (${all.map((c) => `"${c}"`).join(',')}) VALUES (${all.map(() => '?').join(',')})`;
      const fids: number[] = [];
      await onConnection(db, (conn) => {
        const row = conn.prepare(sql);
        const values: unknown[] = new Array(all.length);
        for (const item of items) {
          const r = codec.toRow(item);
          for (let i = 0; i < cols.length; i++) values[i] = r[cols[i]] ?? null;
          const g = item.geometry as Geometry;
          values[cols.length] = encodeGpkgGeometry(promote(g, codec.geometryType), SRID);
          const fid = Number(row.run(values).lastInsertRowid);
          fids.push(fid);
          const [minX, minY, maxX, maxY] = geometryEnvelope(g);
          if (Number.isNaN(minX)) continue;
          pending.push(fid, minX, maxX, minY, maxY);
          if (minX < extent[0]) extent[0] = minX;
          if (minY < extent[1]) extent[1] = minY;
          if (maxX > extent[2]) extent[2] = maxX;
          if (maxY > extent[3]) extent[3] = maxY;
        }
      });
      return fids;
    },
    async finish() {
      await onConnection(db, (conn) => indexPending(conn, codec.table, rtree, pending));
      // Restore the triggers so later writes by Wanmi, GDAL or QGIS keep the index current.
      await createRtreeTriggers(db, codec.table, GEOM, 'fid');
      // The new envelopes, joined with the stored extent when the layer had rows: still a bound of every
      // feature, without rescanning the layer (inserts only ever grow it).
      const known = Number.isFinite(extent[0]) ? (wasEmpty ? extent : await unionWithStoredExtent(db, codec.table, extent)) : undefined;
      await updateContentsExtent(db, codec.table, known ?? undefined);
    },
  };
}

/** fid + [minx, maxx, miny, maxy] per row, in growable typed arrays (a million boxes, no objects). */
class BoxList {
  ids = new Float64Array(1024);
  boxes = new Float64Array(4096);
  length = 0;

  push(id: number, minX: number, maxX: number, minY: number, maxY: number): void {
    if (this.length === this.ids.length) {
      const ids = new Float64Array(this.ids.length * 2);
      ids.set(this.ids);
      const boxes = new Float64Array(this.boxes.length * 2);
      boxes.set(this.boxes);
      [this.ids, this.boxes] = [ids, boxes];
    }
    const i = this.length++;
    this.ids[i] = id;
    this.boxes[4 * i] = minX;
    this.boxes[4 * i + 1] = maxX;
    this.boxes[4 * i + 2] = minY;
    this.boxes[4 * i + 3] = maxY;
  }
}

/** Indexes the loaded rows that still exist: packed with the indexed ones when they outnumber them. */
function indexPending(conn: BetterSqlite3.Database, table: string, rtree: string, pending: BoxList): void {
  if (pending.length === 0) return;
  const live = liveRows(conn, table, pending);
  const indexed = (conn.prepare(`SELECT count(*) AS n FROM "${rtree}_rowid"`).get() as { n: number }).n;
  if (live.length >= PACK_MIN && live.length >= indexed) {
    const all = new BoxList();
    for (const r of conn.prepare(`SELECT id, minx, maxx, miny, maxy FROM "${rtree}"`).raw(true).iterate() as IterableIterator<number[]>) {
      all.push(r[0], r[1], r[2], r[3], r[4]);
    }
    for (let i = 0; i < live.length; i++) all.push(live.ids[i], live.boxes[4 * i], live.boxes[4 * i + 1], live.boxes[4 * i + 2], live.boxes[4 * i + 3]);
    if (loadRtree(conn, rtree, all)) return;
  }
  const box = conn.prepare(`INSERT INTO "${rtree}" VALUES (?, ?, ?, ?, ?)`);
  for (let i = 0; i < live.length; i++) box.run(live.ids[i], live.boxes[4 * i], live.boxes[4 * i + 1], live.boxes[4 * i + 2], live.boxes[4 * i + 3]);
}

/** The pending rows not deleted since they were inserted (all of them, unless a delete came between). */
function liveRows(conn: BetterSqlite3.Database, table: string, pending: BoxList): BoxList {
  let first = Infinity;
  for (let i = 0; i < pending.length; i++) first = Math.min(first, pending.ids[i]);
  // fids only grow: when as many rows as were loaded lie from the first loaded fid on, none went.
  const { n } = conn.prepare(`SELECT count(*) AS n FROM "${table}" WHERE fid >= ?`).get(first) as { n: number };
  if (n === pending.length) return pending;
  const stored = new Set<number>();
  for (const [fid] of conn.prepare(`SELECT fid FROM "${table}" WHERE fid >= ?`).raw(true).iterate(first) as IterableIterator<number[]>) stored.add(fid);
  const live = new BoxList();
  for (let i = 0; i < pending.length; i++) {
    if (stored.has(pending.ids[i])) live.push(pending.ids[i], pending.boxes[4 * i], pending.boxes[4 * i + 1], pending.boxes[4 * i + 2], pending.boxes[4 * i + 3]);
  }
  return live;
}

async function unionWithStoredExtent(db: Knex | Knex.Transaction, table: string, e: Envelope): Promise<Envelope | null> {
  const row = await db('gpkg_contents').where({ table_name: table }).first('min_x', 'min_y', 'max_x', 'max_y');
  if (!row || [row.min_x, row.min_y, row.max_x, row.max_y].some((v) => typeof v !== 'number')) return null;
  return [Math.min(e[0], row.min_x), Math.min(e[1], row.min_y), Math.max(e[2], row.max_x), Math.max(e[3], row.max_y)];
}

/**
 * Appends plain rows (text, numbers, booleans, nulls; `columns` are trusted identifiers) to a table by
 * the store's fastest path, inside the caller's transaction (or a new one): a prepared statement on
 * the GeoPackage's connection, `COPY … FROM STDIN` on PostgreSQL (~3× knex's multi-row INSERTs).
 * A value for a PostGIS geometry column goes as EWKB hex text.
 */
export async function bulkInsert(
  db: Knex | Knex.Transaction, table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>,
): Promise<void> {
  const list = columns.map((c) => `"${c}"`).join(',');
  if (isSqlite(db)) {
    const sql = `INSERT INTO "${table}" (${list}) VALUES (${columns.map(() => '?').join(',')})`;
    return onConnection(db, (conn) => {
      const insert = conn.prepare(sql);
      for (const row of rows) insert.run(row as unknown[]);
    });
  }
  if (!db.isTransaction) return (db as Knex).transaction((trx) => bulkInsert(trx, table, columns, rows));
  const conn = (await db.client.acquireConnection()) as pg.Client;
  await pipeline(Readable.from(copyText(rows)), conn.query(copyFrom(`COPY "${table}" (${list}) FROM STDIN`)));
}

/** COPY text format in ~1 MB chunks: tab-separated, \N for null, backslash escapes. */
function* copyText(rows: Iterable<readonly unknown[]>): Generator<string> {
  // Pieces joined once per chunk: one flat string, instead of ropes of ropes that the socket write
  // must flatten and the garbage collector must trace.
  let pieces: string[] = [];
  let length = 0;
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const value = copyValue(row[i]);
      pieces.push(value, i === row.length - 1 ? '\n' : '\t');
      length += value.length + 1;
    }
    if (length >= 1 << 20) {
      yield pieces.join('');
      pieces = [];
      length = 0;
    }
  }
  if (length > 0) yield pieces.join('');
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return COPY_SPECIAL.test(v) ? v.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]) : v;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v);
}

/**
 * Drops the plain secondary indexes of `tables` for a bulk load and returns the function that builds
 * them again from their stored definitions: one sorted build is several times cheaper than a million
 * random inserts (PostGIS, 1M points: GiST maintained 6.0 s, built after 1.3 s). For tables that are
 * empty when the load starts, so nothing looks rows up by those keys meanwhile. Indexes behind
 * constraints (primary keys, UNIQUE constraints) stay. PostgreSQL locks the tables until the commit.
 */
export async function deferIndexes(db: Knex.Transaction, tables: readonly string[]): Promise<() => Promise<void>> {
  if (tables.length === 0) return async () => undefined;
  const marks = tables.map(() => '?').join(',');
  const indexes: Array<{ name: string; sql: string }> = isSqlite(db)
    ? await db.raw(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${marks})`, [...tables])
    : (await db.raw(
      `SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = i.schemaname)
        WHERE i.schemaname = current_schema() AND i.tablename IN (${marks})
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)`, [...tables])).rows;
  for (const { name } of indexes) await db.raw('DROP INDEX ??', [name]);
  return async () => {
    for (const { sql } of indexes) await db.raw(sql);
  };
}

/**
 * Settings for a bulk load inside the caller's transaction; returns the function that restores them.
 * GeoPackage (per connection): a 256 MiB page cache, which is also the memory the index builds sort in
 * before they spill to temporary files, and SQLite's worker threads for those sorts. PostGIS: more
 * memory for the index builds, for this transaction only (`SET LOCAL`).
 */
export async function tuneForBulkLoad(db: Knex.Transaction): Promise<() => Promise<void>> {
  if (!isSqlite(db)) {
    await db.raw("SET LOCAL maintenance_work_mem = '256MB'");
    return async () => undefined;
  }
  const conn = (await db.client.acquireConnection()) as BetterSqlite3.Database;
  const before = { cache: conn.pragma('cache_size', { simple: true }), threads: conn.pragma('threads', { simple: true }) };
  conn.pragma(`cache_size = ${-BULK_CACHE_KIB}`);
  conn.pragma('threads = 2');
  return async () => {
    conn.pragma(`cache_size = ${Number(before.cache)}`);
    conn.pragma(`threads = ${Number(before.threads)}`);
  };
}

const BULK_CACHE_KIB = 256 * 1024;

/** Runs `fn` on the better-sqlite3 connection behind `db`, inside a transaction (the caller's, or a new one). */
async function onConnection(db: Knex | Knex.Transaction, fn: (conn: BetterSqlite3.Database) => void): Promise<void> {
  if (!db.isTransaction) return (db as Knex).transaction((trx) => onConnection(trx, fn));
  // A transaction's client hands out the connection the transaction is bound to.
  const conn = (await db.client.acquireConnection()) as BetterSqlite3.Database;
  fn(conn);
}

/** Reads a whole layer in key order (the order the index relies on for its tie-breaks). */
export async function readFeatures<T>(db: Knex | Knex.Transaction, codec: LayerCodec<T>): Promise<T[]> {
  if (isSqlite(db)) return readFeaturesGpkg(db, codec);
  const rows = await db(codec.table)
    .select(db.raw('*'))
    .select(geometrySelect(db, '__geom'))
    .orderBy(codec.key);
  return rows.map((row: Record<string, any>) => codec.fromRow(row, demote(readGeometry(db, row.__geom))));
}

/**
 * A GeoPackage layer row by row on the connection: each row becomes a feature and is garbage at once,
 * where knex's `.all()` kept every raw row alive until the last was read (1M components: the raw rows
 * outlived several young-generation collections and most of the time went to copying them).
 */
async function readFeaturesGpkg<T>(db: Knex | Knex.Transaction, codec: LayerCodec<T>): Promise<T[]> {
  return withConnection(db, (conn) => {
    const out: T[] = [];
    const select = conn.prepare(`SELECT * FROM "${codec.table}" ORDER BY "${codec.key}"`);
    for (const row of select.iterate() as IterableIterator<Record<string, any>>) {
      out.push(codec.fromRow(row, demote(decodeGpkgGeometry(row[GEOM]))));
    }
    return out;
  });
}

/** Runs `fn` on the better-sqlite3 connection behind `db` (a transaction's own, or one from the pool). */
async function withConnection<R>(db: Knex | Knex.Transaction, fn: (conn: BetterSqlite3.Database) => R): Promise<R> {
  const conn = (await db.client.acquireConnection()) as BetterSqlite3.Database;
  try {
    return fn(conn);
  } finally {
    if (!db.isTransaction) await db.client.releaseConnection(conn);
  }
}

export async function readFeature<T>(
  db: Knex | Knex.Transaction, codec: LayerCodec<T>, key: string,
): Promise<T | undefined> {
  const row = await db(codec.table)
    .select(db.raw('*'))
    .select(geometrySelect(db, '__geom'))
    .where(codec.key, key)
    .first();
  return row ? codec.fromRow(row, demote(readGeometry(db, row.__geom))) : undefined;
}

export async function countFeatures(db: Knex | Knex.Transaction, table: string): Promise<number> {
  const row = await db(table).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export async function deleteAllFeatures(db: Knex | Knex.Transaction, table: string): Promise<void> {
  await db(table).delete();
  if (isSqlite(db)) await updateContentsExtent(db, table);
}
