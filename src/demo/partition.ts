import type { Rng } from './prng.js';

/**
 * Cell labelling: which mesh cells are land, which street and which community each belongs to.
 * Labels are per cell (id = r*nx + c), OUTSIDE for the river. Shapes are made in cell space, so
 * every boundary is a staircase of mesh edges:
 *
 *   +---------------------------+     streets: four quadrants split by two random-walk staircases
 *   |  NW 凯旋   :   NE 采荷     |     communities: a weighted Voronoi of a few seeds per street,
 *   |......:....:...........    |     relaxed twice (Lloyd) so sizes stay near the target
 *   |  SW 南星   :   SE 望江     |     river: the south-east corner below a rising staircase bank
 *   |            :......  ~~~~~~|
 *   +-----------------~~~~ 钱塘江 +
 */
export const OUTSIDE = -1;

export interface CellSpace {
  readonly nx: number;
  readonly ny: number;
}

/** Land mask: 1 for district cells, 0 for the river. The bank only rises eastwards (no pinches). */
export function riverMask(rng: Rng, space: CellSpace): Uint8Array {
  const { nx, ny } = space;
  const mask = new Uint8Array(nx * ny).fill(1);
  const start = Math.round(nx * 0.42);
  const slope = (ny * 0.3) / Math.max(1, nx - start);
  let cut = 0;
  for (let c = start; c < nx; c++) {
    const target = Math.floor((c - start + 1) * slope + rng.range(-0.8, 0.8));
    cut = Math.min(Math.floor(ny * 0.35), Math.max(cut, target));
    for (let r = 0; r < cut; r++) mask[r * nx + c] = 0;
  }
  return mask;
}

/** A staircase line: one value per index, stepping by at most one, kept within [lo, hi]. */
function staircase(rng: Rng, n: number, start: number, lo: number, hi: number): Int32Array {
  const out = new Int32Array(n);
  let v = start;
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) v = Math.min(hi, Math.max(lo, v + rng.pick([-1, 0, 0, 1])));
    out[i] = v;
  }
  return out;
}

/** Street labels 0 NW, 1 NE, 2 SW, 3 SE; OUTSIDE where the mask is water. */
export function partitionStreets(rng: Rng, space: CellSpace, mask: Uint8Array): Int32Array {
  const { nx, ny } = space;
  const colSplit = staircase(rng, ny, Math.round(nx * 0.48), Math.round(nx * 0.35), Math.round(nx * 0.62));
  const rowSplit = staircase(rng, nx, Math.round(ny * 0.52), Math.round(ny * 0.4), Math.round(ny * 0.65));
  const labels = new Int32Array(nx * ny);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const id = r * nx + c;
      const north = r >= rowSplit[c];
      const east = c >= colSplit[r];
      labels[id] = mask[id] ? (north ? 0 : 2) + (east ? 1 : 0) : OUTSIDE;
    }
  }
  fixTopology(labels, space, () => true);
  return labels;
}

/**
 * Community labels: street s gets communities firstId[s] … firstId[s] + counts[s] - 1.
 * Seeds by farthest-point sampling, then a power diagram (random weights vary the sizes) with two
 * Lloyd steps. Communities that vanish in the topology fix are left empty for the caller to drop.
 */
export function partitionCommunities(rng: Rng, space: CellSpace, streets: Int32Array, counts: readonly number[]): Int32Array {
  const labels = new Int32Array(streets.length).fill(OUTSIDE);
  const firstId: number[] = [];
  let next = 0;
  for (const k of counts) {
    firstId.push(next);
    next += k;
  }
  const streetOf = new Int32Array(next);
  counts.forEach((k, s) => {
    const cells = cellsWhere(streets, (label) => label === s);
    voronoi(rng, space, cells, k).forEach((local, idx) => (labels[cells[idx]] = firstId[s] + local));
    for (let i = 0; i < k; i++) streetOf[firstId[s] + i] = s;
  });
  fixTopology(labels, space, (a, b) => streetOf[a] === streetOf[b]);
  return labels;
}

function cellsWhere(labels: Int32Array, keep: (label: number) => boolean): number[] {
  const out: number[] = [];
  labels.forEach((label, id) => {
    if (keep(label)) out.push(id);
  });
  return out;
}

/**
 * Grid codes number a community's grids with 3 digits, so no community may pass 999 cells; the
 * partition aims below that, leaving room for the topology fix to move a few cells.
 */
export const MAX_COMMUNITY_CELLS = 960;

/** Local community index (0…k-1) for each of `cells`. */
function voronoi(rng: Rng, space: CellSpace, cells: number[], k: number): Int32Array {
  const cx = cells.map((id) => (id % space.nx) + 0.5);
  const cy = cells.map((id) => Math.floor(id / space.nx) + 0.5);
  const seeds = farthestPoints(rng, cx, cy, k);
  const weight = seeds.map(() => rng.range(-0.25, 0.25) * (cells.length / k));
  const assign = new Int32Array(cells.length);
  for (let iter = 0; iter < 3; iter++) {
    assignCells(assign, seeds, weight, cx, cy);
    if (iter < 2) relax(seeds, assign, cx, cy);
  }
  capSizes(assign, seeds, weight, cx, cy);
  return assign;
}

/**
 * At large scales a few cells of the weighted Voronoi outgrow MAX_COMMUNITY_CELLS. Lowering an
 * oversized cell's weight shrinks it towards its seed (a power diagram), so repeat that until every
 * community fits. A no-op at the usual scales, where no community comes near the cap.
 */
function capSizes(assign: Int32Array, seeds: [number, number][], weight: number[], cx: number[], cy: number[]): void {
  for (let round = 0; round < 200; round++) {
    const size = new Array<number>(seeds.length).fill(0);
    assign.forEach((s) => size[s]++);
    if (size.every((n) => n <= MAX_COMMUNITY_CELLS)) return;
    size.forEach((n, s) => {
      if (n > MAX_COMMUNITY_CELLS) weight[s] -= (n - MAX_COMMUNITY_CELLS) * 0.5 + 1;
    });
    assignCells(assign, seeds, weight, cx, cy);
  }
  throw new Error('demo: communities cannot be kept under 999 grids at this scale');
}

/** Each cell to the seed of least weighted squared distance (a power diagram). */
function assignCells(assign: Int32Array, seeds: [number, number][], weight: number[], cx: number[], cy: number[]): void {
  for (let i = 0; i < assign.length; i++) {
    let best = 0;
    let bestD = Infinity;
    seeds.forEach(([sx, sy], s) => {
      const d = (cx[i] - sx) ** 2 + (cy[i] - sy) ** 2 - weight[s];
      if (d < bestD) [best, bestD] = [s, d];
    });
    assign[i] = best;
  }
}

function farthestPoints(rng: Rng, cx: number[], cy: number[], k: number): [number, number][] {
  const seeds: [number, number][] = [];
  const first = rng.int(0, cx.length - 1);
  seeds.push([cx[first], cy[first]]);
  const minD = cx.map((x, i) => (x - cx[first]) ** 2 + (cy[i] - cy[first]) ** 2);
  while (seeds.length < k) {
    let far = 0;
    minD.forEach((d, i) => {
      if (d > minD[far]) far = i;
    });
    seeds.push([cx[far], cy[far]]);
    minD.forEach((d, i) => (minD[i] = Math.min(d, (cx[i] - cx[far]) ** 2 + (cy[i] - cy[far]) ** 2)));
  }
  return seeds;
}

/** Lloyd step: each seed moves to the centroid of its cells. */
function relax(seeds: [number, number][], assign: Int32Array, cx: number[], cy: number[]): void {
  const sum = seeds.map(() => [0, 0, 0]);
  assign.forEach((s, i) => {
    sum[s][0] += cx[i];
    sum[s][1] += cy[i];
    sum[s][2] += 1;
  });
  sum.forEach(([x, y, n], s) => {
    if (n > 0) seeds[s] = [x / n, y / n];
  });
}

/**
 * Makes every label one 4-connected piece without diagonal pinches, so each traces to a single
 * simple outer ring: stray pieces join their commonest neighbour, and where a label touches itself
 * only corner to corner one of the other two cells joins it. `compatible(a, b)` says whether a cell
 * of label a may move to label b (communities stay in their street). Repeats until stable.
 */
export function fixTopology(labels: Int32Array, space: CellSpace, compatible: (a: number, b: number) => boolean): void {
  for (let round = 0; round < 100; round++) {
    const changed = mergeStrayPieces(labels, space, compatible) + removePinches(labels, space, compatible);
    if (changed === 0) return;
  }
  throw new Error('demo partition: topology did not settle');
}

function neighbours(id: number, space: CellSpace): number[] {
  const c = id % space.nx;
  const out: number[] = [];
  if (c > 0) out.push(id - 1);
  if (c < space.nx - 1) out.push(id + 1);
  if (id >= space.nx) out.push(id - space.nx);
  if (id < space.nx * (space.ny - 1)) out.push(id + space.nx);
  return out;
}

/** 4-connected pieces of equal label, as cell lists, in scan order. */
function pieces(labels: Int32Array, space: CellSpace): number[][] {
  const seen = new Uint8Array(labels.length);
  const out: number[][] = [];
  for (let start = 0; start < labels.length; start++) {
    if (seen[start] || labels[start] === OUTSIDE) continue;
    const piece = [start];
    seen[start] = 1;
    for (let k = 0; k < piece.length; k++) {
      for (const n of neighbours(piece[k], space)) {
        if (!seen[n] && labels[n] === labels[start]) {
          seen[n] = 1;
          piece.push(n);
        }
      }
    }
    out.push(piece);
  }
  return out;
}

function mergeStrayPieces(labels: Int32Array, space: CellSpace, compatible: (a: number, b: number) => boolean): number {
  const all = pieces(labels, space);
  const largest = new Map<number, number[]>();
  for (const p of all) {
    const current = largest.get(labels[p[0]]);
    if (!current || p.length > current.length) largest.set(labels[p[0]], p);
  }
  let changed = 0;
  for (const p of all) {
    const label = labels[p[0]];
    if (largest.get(label) === p) continue;
    const votes = new Map<number, number>();
    for (const id of p) {
      for (const n of neighbours(id, space)) {
        const other = labels[n];
        if (other !== label && other !== OUTSIDE && compatible(label, other)) votes.set(other, (votes.get(other) ?? 0) + 1);
      }
    }
    const target = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    if (!target) throw new Error('demo partition: a stray piece has no neighbour to join');
    for (const id of p) labels[id] = target[0];
    changed += p.length;
  }
  return changed;
}

function removePinches(labels: Int32Array, space: CellSpace, compatible: (a: number, b: number) => boolean): number {
  let changed = 0;
  for (let r = 0; r + 1 < space.ny; r++) {
    for (let c = 0; c + 1 < space.nx; c++) {
      const sw = r * space.nx + c;
      const block = [sw, sw + 1, sw + space.nx + 1, sw + space.nx]; // SW, SE, NE, NW
      for (const [a, b, x, y] of [[0, 2, 1, 3], [1, 3, 0, 2]]) {
        const label = labels[block[a]];
        if (label === OUTSIDE || labels[block[b]] !== label) continue;
        if (labels[block[x]] === label || labels[block[y]] === label) continue;
        const mover = [block[x], block[y]].find((id) => labels[id] !== OUTSIDE && compatible(labels[id], label));
        if (mover === undefined) throw new Error('demo partition: cannot resolve a pinch');
        labels[mover] = label;
        changed++;
      }
    }
  }
  return changed;
}
