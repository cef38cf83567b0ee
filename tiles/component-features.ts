import type { Component } from '../src/domain/types.js';
import { PointIndex } from './point-index.js';
import { TileLayerIndex } from './layer-index.js';
import { mercatorX, mercatorY } from './mercator.js';
import { MAJORS, OTHER_MAJOR } from './clusters.js';
import { ValueSets } from './value-sets.js';
import { IdCodes } from './id-codes.js';

/** The components layer's attributes besides the id, in key order. */
export const SHARED_KEYS = ['typeCode', 'major', 'name', 'state', 'owner', 'maintainer'] as const;

/**
 * The components of one data version as tile features, with as little stored per component as the
 * tiles need. Feature numbers run over two parts:
 *
 *   0 … P−1     Point components, in k-d order: PointIndex (32-bit fixed-point coordinates, 8 bytes)
 *   P … P+Q−1   every other geometry (multipoints, lines, polygons), in id order: TileLayerIndex
 *
 * Per feature, besides the geometry: its attribute set (2 bytes: class, name, state and units interned
 * once, see ValueSets) and its id code (4 bytes, IdCodes). A tile reads neither rows nor strings: on a
 * city-sized table each row and id string read was a cache miss or two. Both parts are ordered from the
 * rows sorted by id, so feature numbers do not depend on the order the store returned the rows in.
 */
export class ComponentFeatures {
  readonly points: PointIndex;
  readonly shapes: TileLayerIndex;
  /** typeCode, major, name, state, owner, maintainer per feature (SHARED_KEYS). */
  readonly values: ValueSets;
  readonly ids: IdCodes;
  /** Per attribute set: index into MAJORS, or OTHER_MAJOR. */
  readonly majorOfSet: Uint8Array;
  readonly size: number;

  constructor(rows: readonly Component[]) {
    const byId = Uint32Array.from(rows, (_, i) => i).sort((a, b) => (rows[a].id < rows[b].id ? -1 : rows[a].id > rows[b].id ? 1 : a - b));
    const pointRows = byId.filter((r) => rows[r].geometry.type === 'Point');
    const shapeRows = byId.filter((r) => rows[r].geometry.type !== 'Point');
    const xy = new Float64Array(pointRows.length * 2);
    pointRows.forEach((r, k) => {
      const [lon, lat] = rows[r].geometry.coordinates as number[];
      xy[2 * k] = mercatorX(lon);
      xy[2 * k + 1] = mercatorY(lat);
    });
    const { index, order } = PointIndex.build(xy);
    this.points = index;
    this.shapes = TileLayerIndex.build(Array.from(shapeRows, (r) => rows[r].geometry));
    this.size = this.points.size + this.shapes.size;
    // Row of each feature, for the build only.
    const rowOf = new Uint32Array(this.size);
    for (let pos = 0; pos < order.length; pos++) rowOf[pos] = pointRows[order[pos]];
    rowOf.set(shapeRows, this.points.size);
    const typeCodes = new Map<string, string>();
    const typeCode = (c: Component) => {
      const code = c.major + c.minor;
      const known = typeCodes.get(code);
      if (known !== undefined) return known;
      typeCodes.set(code, code);
      return code;
    };
    const attribute = [
      typeCode, (c: Component) => c.major, (c: Component) => c.name, (c: Component) => c.state,
      (c: Component) => c.ownerUnit, (c: Component) => c.maintainerUnit,
    ];
    this.values = ValueSets.build(SHARED_KEYS, this.size, (f, k) => attribute[k](rows[rowOf[f]]));
    const featureOfRow = new Uint32Array(rows.length);
    rowOf.forEach((r, f) => (featureOfRow[r] = f));
    this.ids = new IdCodes(Array.from(rowOf, (r) => rows[r].id), byId.map((r) => featureOfRow[r]));
    this.majorOfSet = new Uint8Array(this.values.setCount);
    for (let s = 0; s < this.values.setCount; s++) {
      const k = MAJORS.indexOf(this.values.values[this.values.valueId(s, 1)] as (typeof MAJORS)[number]);
      this.majorOfSet[s] = k < 0 ? OTHER_MAJOR : k;
    }
  }

  /** Attribute set of feature f. */
  setOf(f: number): number {
    return this.values.setOf[f];
  }

  /** Calls visit(f, X, Y) with the anchor (the point, or the bbox centre) of features that may lie in the box. */
  anchors(minX: number, minY: number, maxX: number, maxY: number, visit: (f: number, X: number, Y: number) => void): void {
    const { points } = this;
    points.range(minX, minY, maxX, maxY, (pos) => visit(pos, points.x(pos), points.y(pos)));
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
