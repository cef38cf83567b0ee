import t from 'tap';
import { createRng } from '../../src/demo/prng.js';
import { MAX_COMMUNITY_CELLS, OUTSIDE, partitionCommunities } from '../../src/demo/partition.js';

// Grid codes give a community 3 digits of grid numbers, so the partition must keep every community at
// most 999 cells — also at the benchmark scales, where the weighted Voronoi alone overshoots.
t.test('large streets: no community passes the cap, every cell labelled, each community one piece', async (t) => {
  const space = { nx: 240, ny: 200 };
  const streets = new Int32Array(space.nx * space.ny).fill(0);
  const k = 56; // 857 cells each on average: without the cap some come out far above 999
  const labels = partitionCommunities(createRng(20261115), space, streets, [k]);
  const size = new Array<number>(k).fill(0);
  for (const label of labels) if (label !== OUTSIDE) size[label]++;
  t.equal(size.reduce((a, b) => a + b, 0), labels.length, 'every cell has a community');
  t.ok(Math.max(...size) <= 999, `largest community ${Math.max(...size)} cells (cap ${MAX_COMMUNITY_CELLS}, codes allow 999)`);
  t.ok(Math.min(...size) > 0, 'no community is empty');
  for (let c = 0; c < k; c++) t.equal(pieces(labels, space, c), 1, `community ${c} is one 4-connected piece`);
});

function pieces(labels: Int32Array, { nx, ny }: { nx: number; ny: number }, label: number): number {
  const seen = new Uint8Array(labels.length);
  let count = 0;
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] !== label || seen[start]) continue;
    count++;
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const id = stack.pop()!;
      const [x, y] = [id % nx, Math.floor(id / nx)];
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
        const [nx2, ny2] = [x + dx, y + dy];
        const n = ny2 * nx + nx2;
        if (nx2 < 0 || ny2 < 0 || nx2 >= nx || ny2 >= ny || seen[n] || labels[n] !== label) continue;
        seen[n] = 1;
        stack.push(n);
      }
    }
  }
  return count;
}
