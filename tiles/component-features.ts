import type { Component } from '../src/domain/types.js';
import { PointIndex } from './point-index.js';
import { TileLayerIndex } from './layer-index.js';
import { mercatorX, mercatorY } from './mercator.js';
import { MAJORS, OTHER_MAJOR } from './clusters.js';

/**
 * The components of one data version as tile features, with as little stored per component as the
 * tiles need. Feature numbers run over two parts:
 *
 *   0 … P−1     Point components, in k-d order: PointIndex (coordinates once, 20 bytes a point)
 *   P … P+Q−1   every other geometry (multipoints, lines, polygons), in id order: TileLayerIndex
 *
 * Attributes are read from the caller's rows on request (the rows are the CityIndex's own, not a
 * copy): per feature only the row number (4 bytes) and the major-class slot for clusters (1 byte) are
 * added. Both parts are ordered from the rows sorted by id, so feature numbers do not depend on the
 * order the store returned the rows in.
 */
export class ComponentFeatures {
  readonly rows: readonly Component[];
  readonly points: PointIndex;
  readonly shapes: TileLayerIndex;
  /** Row of each shape feature (feature P + j is rows[shapeRow[j]]). */
  readonly shapeRow: Uint32Array;
  /** Per feature: index into MAJORS, or OTHER_MAJOR. */
  readonly majorSlot: Uint8Array;
  readonly size: number;
  /** major → minor → the interned type code string, so a tile never concatenates one. */
  private readonly typeCodes = new Map<string, Map<string, string>>();

  constructor(rows: readonly Component[]) {
    this.rows = rows;
    const byId = Uint32Array.from(rows, (_, i) => i).sort((a, b) => (rows[a].id < rows[b].id ? -1 : rows[a].id > rows[b].id ? 1 : a - b));
    const pointRows = byId.filter((r) => rows[r].geometry.type === 'Point');
    this.shapeRow = byId.filter((r) => rows[r].geometry.type !== 'Point');
    const xy = new Float64Array(pointRows.length * 2);
    pointRows.forEach((r, k) => {
      const [lon, lat] = rows[r].geometry.coordinates as number[];
      xy[2 * k] = mercatorX(lon);
      xy[2 * k + 1] = mercatorY(lat);
    });
    this.points = new PointIndex(xy);
    // The index numbers items in the order given; make them row numbers, so one lookup reaches the row.
    const item = this.points.item;
    for (let pos = 0; pos < item.length; pos++) item[pos] = pointRows[item[pos]];
    this.shapes = TileLayerIndex.build(Array.from(this.shapeRow, (r) => rows[r].geometry));
    this.size = this.points.size + this.shapes.size;
    this.majorSlot = new Uint8Array(this.size);
    for (let f = 0; f < this.size; f++) {
      const c = this.row(f);
      const k = MAJORS.indexOf(c.major as (typeof MAJORS)[number]);
      this.majorSlot[f] = k < 0 ? OTHER_MAJOR : k;
      let minors = this.typeCodes.get(c.major);
      if (!minors) this.typeCodes.set(c.major, (minors = new Map()));
      if (!minors.has(c.minor)) minors.set(c.minor, c.major + c.minor);
    }
  }

  /** The row of feature f. */
  row(f: number): Component {
    const P = this.points.size;
    return this.rows[f < P ? this.points.item[f] : this.shapeRow[f - P]];
  }

  /** The component's type code (major + minor), the same string object every time. */
  typeCode(c: Component): string {
    return this.typeCodes.get(c.major)!.get(c.minor)!;
  }

  /** Calls visit(f, X, Y) with the anchor (the point, or the bbox centre) of features that may lie in the box. */
  anchors(minX: number, minY: number, maxX: number, maxY: number, visit: (f: number, X: number, Y: number) => void): void {
    const { coords } = this.points;
    this.points.range(minX, minY, maxX, maxY, (pos) => visit(pos, coords[2 * pos], coords[2 * pos + 1]));
    const P = this.points.size;
    const { anchor } = this.shapes;
    this.shapes.visit(minX, minY, maxX, maxY, (j) => visit(P + j, anchor[2 * j], anchor[2 * j + 1]));
  }

  /** Normalised bounding box of every feature, or null when there is none. */
  extent(): [number, number, number, number] | null {
    const a = this.points.extent();
    const b = this.shapes.extent();
    if (!a || !b) return a ?? b;
    return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
  }
}
