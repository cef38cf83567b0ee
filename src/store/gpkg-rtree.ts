import type BetterSqlite3 from 'better-sqlite3';

/**
 * Bulk loading of a GeoPackage spatial index (an SQLite R*Tree virtual table): the tree is packed in
 * JavaScript (Sort-Tile-Recursive) and its nodes are written straight into the virtual table's shadow
 * tables, as GDAL ≥ 3.7 does. Inserting a million boxes one by one costs ~4 µs each in SQLite's own
 * split/reinsert code; packing and writing them costs a fraction, and gives a better tree.
 *
 * The shadow tables of `rtree_<t>_<c>` (SQLite's rtree.c), every integer and float big-endian:
 *
 *   _node(nodeno, data)     data: [depth u16, root only][cell count u16] then cells of 24 bytes:
 *                           [rowid or child nodeno i64][minx f32][maxx f32][miny f32][maxy f32];
 *                           every blob as long as the root's (the node size SQLite chose at creation)
 *   _parent(nodeno, parentnode)   every node but the root (nodeno 1)
 *   _rowid(rowid, nodeno)         the leaf holding each entry
 *
 * Boxes are rounded outwards to float32 exactly as SQLite rounds them, so the tree equals one built by
 * inserts up to its shape; `SELECT rtreecheck(…)` accepts it (test/store).
 */
export interface RtreeEntries {
  ids: Float64Array;
  /** minx, maxx, miny, maxy per entry (the R-tree's column order). */
  boxes: Float64Array;
  length: number;
}

const CELL = 24;
// rtree.c's rounding of a double to the float32 below/above it.
const TOWARDS = 1 - 1 / 8388608;
const AWAY = 1 + 1 / 8388608;

function down(d: number): number {
  const f = Math.fround(d);
  return f > d ? Math.fround(d * (d < 0 ? AWAY : TOWARDS)) : f;
}

function up(d: number): number {
  const f = Math.fround(d);
  return f < d ? Math.fround(d * (d < 0 ? TOWARDS : AWAY)) : f;
}

/** The node size of an existing 2D R-tree without auxiliary columns, or null when it is anything else. */
function nodeSizeOf(conn: BetterSqlite3.Database, rtree: string): number | null {
  const columns = (conn.prepare(`SELECT name FROM pragma_table_info(?)`).all(`${rtree}_rowid`) as Array<{ name: string }>).map((c) => c.name);
  if (columns.join(',') !== 'rowid,nodeno') return null;
  const row = conn.prepare(`SELECT length(data) AS n FROM "${rtree}_node" WHERE nodeno = 1`).get() as { n: number } | undefined;
  return row && row.n >= 4 + 2 * CELL ? row.n : null;
}

/**
 * Replaces the whole content of `rtree` with `entries` (ids must be unique), packed bottom-up:
 *   1. round each box outwards to float32;
 *   2. STR: sort by x centre, cut into ⌈√(n / fanout)⌉ slabs, sort each by y centre, cut into nodes;
 *   3. repeat on the nodes' boxes until one node is left: the root, node 1, holding the tree depth;
 *   4. write every node, parent link and entry → leaf link.
 * Returns false, writing nothing, when the table is not a plain 2D R-tree (the caller inserts instead).
 * Call inside the caller's transaction: the shadow tables are written with SQLite's defensive mode
 * lifted for the duration of the call only.
 */
export function loadRtree(conn: BetterSqlite3.Database, rtree: string, entries: RtreeEntries): boolean {
  const nodeSize = nodeSizeOf(conn, rtree);
  if (nodeSize === null) return false;
  const fanout = Math.floor((nodeSize - 4) / CELL);
  const n = entries.length;
  // Level 0 items: the entries; each level's items are [id, minx, maxx, miny, maxy].
  let ids = entries.ids.subarray(0, n);
  let boxes = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    boxes[4 * i] = down(entries.boxes[4 * i]);
    boxes[4 * i + 1] = up(entries.boxes[4 * i + 1]);
    boxes[4 * i + 2] = down(entries.boxes[4 * i + 2]);
    boxes[4 * i + 3] = up(entries.boxes[4 * i + 3]);
  }
  const nodes: Array<{ no: number; depth: number; items: Uint32Array; ids: Float64Array; boxes: Float64Array }> = [];
  let depth = 0;
  let nextNo = 2;
  for (;;) {
    const groups = strGroups(boxes, ids.length, fanout);
    const root = groups.length === 1;
    const levelIds = new Float64Array(groups.length);
    const levelBoxes = new Float64Array(4 * groups.length);
    groups.forEach((items, g) => {
      const no = root ? 1 : nextNo++;
      nodes.push({ no, depth, items, ids, boxes });
      levelIds[g] = no;
      const b = [Infinity, -Infinity, Infinity, -Infinity];
      for (const i of items) {
        b[0] = Math.min(b[0], boxes[4 * i]); b[1] = Math.max(b[1], boxes[4 * i + 1]);
        b[2] = Math.min(b[2], boxes[4 * i + 2]); b[3] = Math.max(b[3], boxes[4 * i + 3]);
      }
      levelBoxes.set(b, 4 * g);
    });
    if (root) break;
    ids = levelIds;
    boxes = levelBoxes;
    depth++;
  }
  write(conn, rtree, nodeSize, nodes, depth);
  return true;
}

/** STR grouping of `count` boxes into runs of at most `fanout` item indexes (one run when they fit). */
function strGroups(boxes: Float64Array, count: number, fanout: number): Uint32Array[] {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (count <= fanout) return [order];
  // Centres (doubled) read from arrays in the comparators, not computed by a call per comparison.
  const cx = new Float64Array(count);
  const cy = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    cx[i] = boxes[4 * i] + boxes[4 * i + 1];
    cy[i] = boxes[4 * i + 2] + boxes[4 * i + 3];
  }
  order.sort((a, b) => cx[a] - cx[b]);
  const leaves = Math.ceil(count / fanout);
  const slab = Math.ceil(count / Math.ceil(Math.sqrt(leaves)));
  // Whole nodes per slab, so only the last node of the level may be partly filled.
  const perSlab = Math.ceil(slab / fanout) * fanout;
  const groups: Uint32Array[] = [];
  for (let s = 0; s < count; s += perSlab) {
    const part = order.subarray(s, Math.min(count, s + perSlab)).sort((a, b) => cy[a] - cy[b]);
    for (let k = 0; k < part.length; k += fanout) groups.push(part.subarray(k, k + fanout));
  }
  return groups;
}

function write(
  conn: BetterSqlite3.Database, rtree: string, nodeSize: number,
  nodes: ReadonlyArray<{ no: number; depth: number; items: Uint32Array; ids: Float64Array; boxes: Float64Array }>, depth: number,
): void {
  const unsafe = (on: boolean) => conn.unsafeMode(on);
  unsafe(true);
  try {
    conn.prepare(`DELETE FROM "${rtree}_node"`).run();
    conn.prepare(`DELETE FROM "${rtree}_parent"`).run();
    conn.prepare(`DELETE FROM "${rtree}_rowid"`).run();
    const node = conn.prepare(`INSERT INTO "${rtree}_node" (nodeno, data) VALUES (?, ?)`);
    // A node's child links in one statement, the ids as a JSON array (SQLite reads them as the integers
    // it would have written itself; JavaScript numbers bind as REAL): one call per node, not per entry.
    const parent = conn.prepare(`INSERT INTO "${rtree}_parent" (nodeno, parentnode) SELECT value, CAST(? AS INTEGER) FROM json_each(?)`);
    const leaves = { ids: [] as number[], nodes: [] as number[] };
    for (const { no, depth: level, items, ids, boxes } of nodes) {
      const data = Buffer.alloc(nodeSize);
      if (no === 1) data.writeUInt16BE(depth, 0);
      data.writeUInt16BE(items.length, 2);
      let at = 4;
      let children = '';
      for (const i of items) {
        const id = ids[i];
        data.writeUInt32BE(Math.floor(id / 0x100000000) >>> 0, at);
        data.writeUInt32BE(id >>> 0, at + 4);
        data.writeFloatBE(boxes[4 * i], at + 8);
        data.writeFloatBE(boxes[4 * i + 1], at + 12);
        data.writeFloatBE(boxes[4 * i + 2], at + 16);
        data.writeFloatBE(boxes[4 * i + 3], at + 20);
        at += CELL;
        if (level === 0) {
          leaves.ids.push(id);
          leaves.nodes.push(no);
        } else children += children === '' ? String(id) : `,${id}`;
      }
      if (level > 0) parent.run(no, `[${children}]`);
      node.run(no, data);
    }
    writeLeafLinks(conn, rtree, leaves);
  } finally {
    unsafe(false);
  }
}

/**
 * Entry → leaf links in ascending entry id, so the `_rowid` table's B-tree is filled by appends instead
 * of a million inserts at random places (the entries come in STR order), in chunks of JSON pairs. The
 * ids are fids, nearly contiguous: they are ordered by placing each at its offset from the smallest.
 */
function writeLeafLinks(conn: BetterSqlite3.Database, rtree: string, leaves: { ids: number[]; nodes: number[] }): void {
  const n = leaves.ids.length;
  if (n === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (const id of leaves.ids) {
    if (id < min) min = id;
    if (id > max) max = id;
  }
  const insert = conn.prepare(
    `INSERT INTO "${rtree}_rowid" (rowid, nodeno) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`,
  );
  let chunk = '';
  let inChunk = 0;
  const add = (id: number, node: number) => {
    chunk += `${inChunk === 0 ? '[' : ','}[${id},${node}]`;
    if (++inChunk === LINKS_PER_STATEMENT) flush();
  };
  const flush = () => {
    if (inChunk > 0) insert.run(`${chunk}]`);
    chunk = '';
    inChunk = 0;
  };
  if (max - min < 4 * n) {
    const nodeOf = new Float64Array(max - min + 1);
    for (let i = 0; i < n; i++) nodeOf[leaves.ids[i] - min] = leaves.nodes[i];
    for (let k = 0; k < nodeOf.length; k++) if (nodeOf[k] !== 0) add(min + k, nodeOf[k]);
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => leaves.ids[a] - leaves.ids[b]);
    for (const i of order) add(leaves.ids[i], leaves.nodes[i]);
  }
  flush();
}

const LINKS_PER_STATEMENT = 4096;
