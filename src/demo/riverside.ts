import type { CityFrame } from './frame.js';
import type { XY } from './geometry.js';
import { cellCorners, vertexXY } from './lattice.js';
import type { Rng } from './prng.js';
import type { ComponentSink } from './sink.js';

/**
 * The 钱塘江 bank: every land-cell edge that faces a river cell carries a stretch of 防汛墙 (0606)
 * set 3.5 m back from the edge, most with a 水域护栏 (0604) railing on the waterside path in front
 * of it, and now and then a pier or pumping station (0603, polygon), a harbour-control post (0605)
 * or an outfall monitor (0310). Each piece stays inside the grid of its edge.
 *
 *   land cell                ·   ·   ·   ·
 *   flood wall, 3.5 m in     ════════════
 *   railing, 2 m in          ─ ─ ─ ─ ─ ─
 *   cell edge              a ────────────▶ b   (counter-clockwise for the cell: land on the left)
 *   ~~~~~~~~~~~~~~~~~~~~~~~~~ 钱塘江 ~~~~~~~~~~~~~~~~~~~~~~~~
 */
export function placeRiverside(rng: Rng, sink: ComponentSink, frame: CityFrame): void {
  for (const [a, b] of riverEdges(frame)) {
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const along = (t: number, inset: number): XY => {
      const tx = (b[0] - a[0]) / len;
      const ty = (b[1] - a[1]) / len;
      // The cell lies left of a → b, so "inset" moves along the left normal (-ty, tx).
      return [a[0] + tx * t - ty * inset, a[1] + ty * t + tx * inset];
    };
    const extra = { river: '钱塘江', floodStandard: '百年一遇', lengthM: Math.round(len - 8) };
    sink.shape('0606', 'line', [along(4, 3.5), along(len / 2, 3.5), along(len - 4, 3.5)], extra);
    if (rng.chance(0.6)) sink.shape('0604', 'line', [along(6, 2), along(len - 6, 2)], { lengthM: Math.round(len - 12) });
    if (rng.chance(0.08)) {
      const t = rng.range(20, len - 32);
      const facility = rng.pick(['码头', '泵站', '观景平台']);
      sink.shape('0603', 'polygon', [along(t, 6), along(t + 12, 6), along(t + 12, 14), along(t, 14)], { facility });
    }
    if (rng.chance(0.04)) sink.point('0605', ...along(len * rng.range(0.3, 0.7), 8));
    if (rng.chance(0.05)) sink.point('0310', ...along(len * rng.range(0.3, 0.7), 10));
  }
}

/** Land-cell edges whose neighbour across is a river cell, oriented counter-clockwise for the land cell. */
function riverEdges(frame: CityFrame): [XY, XY][] {
  const { lattice: lat, grids } = frame;
  const out: [XY, XY][] = [];
  for (let cell = 0; cell < grids.cellGrid.length; cell++) {
    if (grids.cellGrid[cell] < 0) continue;
    const c = cell % lat.nx;
    const corners = cellCorners(lat, cell);
    const across = [cell - lat.nx, c < lat.nx - 1 ? cell + 1 : -1, cell + lat.nx, c > 0 ? cell - 1 : -1];
    for (let k = 0; k < 4; k++) {
      const n = across[k];
      if (n < 0 || n >= grids.cellGrid.length || grids.cellGrid[n] >= 0) continue;
      out.push([vertexXY(lat, corners[k]), vertexXY(lat, corners[(k + 1) & 3])]);
    }
  }
  return out;
}
