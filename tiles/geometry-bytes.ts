import type { TileFrame } from './mercator.js';
import { LINE, POINT, type TileLayerIndex } from './layer-index.js';
import { boxInside, clipLineAxis, clipRingInPlace, X, Y } from './clip.js';
import { absArea, simplifyInPlace, type SimplifyScratch } from './simplify.js';
import type { CutOptions } from './cut.js';
import { command, MOVE_TO, putVarint, ringArea, zigzag } from './mvt-writer.js';
import { Vertices } from './vertices.js';

const LINE_TO = 2;
const CLOSE_PATH = 7;

/**
 * The geometry of one tile's features, encoded back to back as MVT command varints: what a direct
 * layer writer copies into its feature messages. Reused tile after tile, with the typed buffers of the
 * polygon pipeline, so a polygon tile allocates nothing per feature once the buffers have grown.
 *
 * Polygons take the typed pipeline, the same steps and arithmetic as `cutFeature` + the MVT writer:
 *
 *   ring in tile units → clip (unless the bbox is inside) → Douglas–Peucker → drop if < minRingArea
 *   → round, drop repeated vertices → drop if < 3 vertices or no area → wind (exterior positive area,
 *   holes negative) → MoveTo, LineTo, ClosePath
 *
 * A hole of a dropped exterior goes with it. Lines: each part clipped into parts (unless the bbox is
 * inside), simplified, rounded, repeated vertices dropped, kept with ≥ 2 vertices. Points: those inside
 * the tile plus buffer. The results are those of `cutFeature` and the generic writer (a test compares).
 */
export class GeometryBytes {
  buf: Uint8Array = new Uint8Array(16 * 1024);
  pos = 0;
  /** The cursor: command deltas run on across a feature's parts. */
  private cx = 0;
  private cy = 0;
  private readonly ring = new Vertices();
  private readonly spare = new Vertices();
  /** Line parts after clipping, their ends, and the part being simplified. */
  private readonly parts = new Vertices();
  private readonly part = new Vertices();
  private readonly xEnds: number[] = [];
  private readonly ends: number[] = [];
  private readonly simplifyScratch: SimplifyScratch = { keep: new Uint8Array(256), stack: new Int32Array(64) };
  private q: Int32Array = new Int32Array(512);

  reset(): void {
    this.pos = 0;
  }

  /** Appends feature f's commands in the frame; returns its MVT geometry type, or 0 when nothing is left (nothing appended). */
  cut(index: TileLayerIndex, f: number, frame: TileFrame, options: CutOptions): number {
    this.cx = this.cy = 0;
    const start = this.pos;
    const kind = index.kind[f];
    if (kind === POINT) this.points(index, f, frame);
    else if (kind === LINE) this.lines(index, f, frame, options);
    else this.polygons(index, f, frame, options);
    return this.pos > start ? kind : 0;
  }

  /** Appends a single point (integer tile units) as a feature's geometry. */
  point(x: number, y: number): void {
    this.ensure(11);
    this.buf[this.pos++] = command(MOVE_TO, 1);
    this.pos = putVarint(this.buf, this.pos, zigzag(x));
    this.pos = putVarint(this.buf, this.pos, zigzag(y));
  }

  /** The points inside the tile plus buffer, one MoveTo for all (a multipoint keeps those that are). */
  private points(index: TileLayerIndex, f: number, frame: TileFrame): void {
    const min = -frame.buffer;
    const max = frame.extent + frame.buffer;
    const q = this.reserveQuantised(index.featPart[f + 1] - index.featPart[f]);
    let m = 0;
    for (let p = index.featPart[f]; p < index.featPart[f + 1]; p++) {
      const v = index.partStart[p];
      const x = index.coords[2 * v] * frame.scale - frame.x * frame.extent;
      const y = index.coords[2 * v + 1] * frame.scale - frame.y * frame.extent;
      if (x < min || x > max || y < min || y > max) continue;
      q[2 * m] = Math.round(x);
      q[2 * m + 1] = Math.round(y);
      m++;
    }
    if (m === 0) return;
    this.ensure(5 + 10 * m);
    this.pos = putVarint(this.buf, this.pos, command(MOVE_TO, m));
    for (let i = 0; i < m; i++) this.lineTo(q[2 * i], q[2 * i + 1]);
  }

  /** Each line part clipped into parts (unless the bbox is inside), simplified, rounded. */
  private lines(index: TileLayerIndex, f: number, frame: TileFrame, o: CutOptions): void {
    const min = -frame.buffer;
    const max = frame.extent + frame.buffer;
    const inside = this.bboxInside(index, f, frame);
    for (let p = index.featPart[f]; p < index.featPart[f + 1]; p++) {
      const line = this.load(index, p, frame);
      if (inside) {
        simplifyInPlace(line, o.tolerance, false, this.simplifyScratch);
        this.writePath(this.quantise(line), false);
        continue;
      }
      const { spare, parts, part, xEnds, ends } = this;
      spare.n = parts.n = xEnds.length = ends.length = 0;
      clipLineAxis(line, 0, line.n, X, min, max, spare, xEnds);
      for (let k = 0; k < xEnds.length; k++) clipLineAxis(spare, k > 0 ? xEnds[k - 1] : 0, xEnds[k], Y, min, max, parts, ends);
      for (let k = 0; k < ends.length; k++) {
        const from = k > 0 ? ends[k - 1] : 0;
        part.reserve(ends[k] - from).set(parts.xy.subarray(2 * from, 2 * ends[k]));
        part.n = ends[k] - from;
        simplifyInPlace(part, o.tolerance, false, this.simplifyScratch);
        this.writePath(this.quantise(part), false);
      }
    }
  }

  private polygons(index: TileLayerIndex, f: number, frame: TileFrame, o: CutOptions): void {
    const min = -frame.buffer;
    const max = frame.extent + frame.buffer;
    const inside = this.bboxInside(index, f, frame);
    let exterior = false;
    for (let p = index.featPart[f]; p < index.featPart[f + 1]; p++) {
      const isHole = index.hole[p] === 1;
      if (isHole && !exterior) continue;
      const ring = this.load(index, p, frame);
      if (!inside) clipRingInPlace(ring, min, max, this.spare);
      let keep = false;
      if (ring.n >= 3) {
        simplifyInPlace(ring, o.tolerance, true, this.simplifyScratch);
        keep = ring.n >= 3 && absArea(ring.xy, ring.n) >= o.minRingArea;
      }
      if (!isHole) exterior = keep && this.writeRing(ring, true);
      else if (keep) this.writeRing(ring, false);
    }
  }

  /** Whether feature f's bbox lies inside the tile plus buffer (then clipping is skipped). */
  private bboxInside(index: TileLayerIndex, f: number, frame: TileFrame): boolean {
    const { scale } = frame;
    const ox = frame.x * frame.extent;
    const oy = frame.y * frame.extent;
    const b = index.bboxes;
    return boxInside(b[4 * f] * scale - ox, b[4 * f + 1] * scale - oy, b[4 * f + 2] * scale - ox, b[4 * f + 3] * scale - oy,
      -frame.buffer, frame.extent + frame.buffer);
  }

  /** Part p in tile units (the only per-request arithmetic: rows were projected at build), in `ring`. */
  private load(index: TileLayerIndex, p: number, frame: TileFrame): Vertices {
    const { scale } = frame;
    const ox = frame.x * frame.extent;
    const oy = frame.y * frame.extent;
    const from = index.partStart[p];
    const n = index.partStart[p + 1] - from;
    const xy = this.ring.reserve(n);
    const c = index.coords;
    for (let v = 0; v < n; v++) {
      xy[2 * v] = c[2 * (from + v)] * scale - ox;
      xy[2 * v + 1] = c[2 * (from + v) + 1] * scale - oy;
    }
    this.ring.n = n;
    return this.ring;
  }

  /** Rounds the vertices into q, dropping repeated ones; returns their count. */
  private quantise(v: Vertices): number {
    const q = this.reserveQuantised(v.n);
    const xy = v.xy;
    let m = 0;
    for (let i = 0; i < v.n; i++) {
      const x = Math.round(xy[2 * i]);
      const y = Math.round(xy[2 * i + 1]);
      if (m > 0 && q[2 * m - 2] === x && q[2 * m - 1] === y) continue;
      q[2 * m] = x;
      q[2 * m + 1] = y;
      m++;
    }
    return m;
  }

  /**
   * Rounds the ring, drops repeated vertices (and a last one equal to the first), and appends it wound
   * for its role; false (nothing appended) when fewer than 3 vertices or no area are left.
   */
  private writeRing(ring: Vertices, exterior: boolean): boolean {
    let m = this.quantise(ring);
    const q = this.q;
    while (m >= 2 && q[0] === q[2 * m - 2] && q[1] === q[2 * m - 1]) m--;
    if (m < 3) return false;
    const area = ringArea(q, m);
    if (area === 0) return false;
    this.writePath(m, area > 0 !== exterior, true);
    return true;
  }

  /** Appends the first m vertices of q as a path (a ring: closed, maybe reversed); a line needs 2. */
  private writePath(m: number, reverse: boolean, ring = false): void {
    if (m < 2) return;
    this.ensure(16 + 10 * m);
    const { q, buf } = this;
    const step = reverse ? -1 : 1;
    let i = reverse ? m - 1 : 0;
    let pos = this.pos;
    let { cx, cy } = this;
    for (let k = 0; k < m; k++, i += step) {
      if (k === 0) buf[pos++] = command(MOVE_TO, 1);
      else if (k === 1) pos = putVarint(buf, pos, command(LINE_TO, m - 1));
      const x = q[2 * i];
      const y = q[2 * i + 1];
      pos = putVarint(buf, pos, zigzag(x - cx));
      pos = putVarint(buf, pos, zigzag(y - cy));
      cx = x;
      cy = y;
    }
    if (ring) buf[pos++] = command(CLOSE_PATH, 1);
    this.pos = pos;
    this.cx = cx;
    this.cy = cy;
  }

  /** The zigzag delta from the cursor to (x, y); moves the cursor. */
  private lineTo(x: number, y: number): void {
    this.pos = putVarint(this.buf, this.pos, zigzag(x - this.cx));
    this.pos = putVarint(this.buf, this.pos, zigzag(y - this.cy));
    this.cx = x;
    this.cy = y;
  }

  private reserveQuantised(n: number): Int32Array {
    if (this.q.length < 2 * n) this.q = new Int32Array(Math.max(2 * n, 2 * this.q.length));
    return this.q;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const buf = new Uint8Array(Math.max(this.pos + n, 2 * this.buf.length));
    buf.set(this.buf.subarray(0, this.pos));
    this.buf = buf;
  }
}
