import t from 'tap';
import { clipLine, clipRing } from '../../tiles/clip.js';
import { absArea, quantise, simplify } from '../../tiles/simplify.js';
import { cutFeature } from '../../tiles/cut.js';
import { TileLayerIndex } from '../../tiles/layer-index.js';
import { lonOf, latOf, tileFrame } from '../../tiles/mercator.js';

t.test('clipRing: inside, outside, corner overlap, covering', async (t) => {
  const inside = [10, 10, 20, 10, 20, 20, 10, 20];
  t.same(clipRing(inside, 0, 100), inside, 'untouched when inside');
  t.same(clipRing([200, 200, 300, 200, 300, 300], 0, 100), [], 'empty when outside');
  const corner = clipRing([50, 50, 150, 50, 150, 150, 50, 150], 0, 100);
  t.equal(absArea(corner), 2500, 'corner overlap keeps the 50 × 50 part');
  t.ok(corner.every((v) => v >= 0 && v <= 100));
  const covering = clipRing([-50, -50, 150, -50, 150, 150, -50, 150], 0, 100);
  t.equal(absArea(covering), 10000, 'a ring covering the box becomes the box');
  const triangle = clipRing([-100, 50, 50, -100, 200, 50], 0, 100);
  t.ok(absArea(triangle) > 0 && triangle.every((v) => v >= -1e-9 && v <= 100 + 1e-9), 'a triangle through three edges');
});

t.test('clipLine: a line leaving and re-entering becomes two parts', async (t) => {
  const parts = clipLine([10, 50, 150, 50, 150, 60, 10, 60], 0, 100);
  t.same(parts, [[10, 50, 100, 50], [100, 60, 10, 60]]);
  t.same(clipLine([-50, 50, 150, 50], 0, 100), [[0, 50, 100, 50]], 'through both sides');
  t.same(clipLine([200, 0, 300, 0], 0, 100), [], 'outside');
  t.same(clipLine([-10, -10, 110, 110], 0, 100), [[0, 0, 100, 100]], 'diagonal through two corners');
  t.same(clipLine([50, 50, 60, 60], 0, 100), [[50, 50, 60, 60]], 'inside untouched');
});

t.test('simplify: collinear and near-collinear vertices go, corners stay', async (t) => {
  t.same(simplify([0, 0, 5, 0.2, 10, 0, 10, 10], 1, false), [0, 0, 10, 0, 10, 10]);
  t.same(simplify([0, 0, 5, 3, 10, 0], 1, false), [0, 0, 5, 3, 10, 0], 'a real corner stays');
  const ring = [0, 0, 50, 0.3, 100, 0, 100, 100, 50, 100.4, 0, 100];
  t.same(simplify(ring, 1, true), [0, 0, 100, 0, 100, 100, 0, 100]);
  t.same(simplify(ring, 0, true), ring, 'tolerance 0 keeps everything');
  // A 100k-vertex arc of radius 1000 units: chords stay within 1 unit over ~90 units of arc.
  const arc = Array.from({ length: 200_000 }, (_, k) => 1000 * (k % 2 ? Math.sin((k >> 1) / 20_000) : Math.cos((k >> 1) / 20_000)));
  const out = simplify(arc, 1, false);
  t.ok(out.length / 2 > 20 && out.length / 2 < 200, `${out.length / 2} of 100000 vertices kept, no recursion limit`);
});

t.test('quantise rounds in place', async (t) => {
  t.same(quantise([0.4, 0.6, -0.6, 2.5]), [0, 1, -1, 3]);
});

t.test('cutFeature: polygon with a hole straddling a tile edge', async (t) => {
  // A square 0.002° wide with a hole, placed across the east edge of a z16 tile.
  const frame = tileFrame(16, 54652, 26745);
  const n = 2 ** 16;
  const edgeLon = lonOf((frame.x + 1) / n);
  const midLat = latOf((frame.y + 0.5) / n);
  const d = 0.001;
  const sq = (r: number) => [[edgeLon - r, midLat - r], [edgeLon + r, midLat - r], [edgeLon + r, midLat + r], [edgeLon - r, midLat + r], [edgeLon - r, midLat - r]] as [number, number][];
  const index = TileLayerIndex.build([{ type: 'Polygon', coordinates: [sq(d), sq(d / 4)] }]);
  const g = cutFeature(index, 0, frame);
  t.equal(g?.type, 'Polygon');
  if (g?.type !== 'Polygon') return;
  t.equal(g.polygons.length, 1);
  t.equal(g.polygons[0].length, 2, 'the hole straddles the edge too and is kept, clipped');
  for (const ring of g.polygons[0]) {
    for (let i = 0; i < ring.length; i += 2) t.ok(ring[i] <= 4096 + 64, 'clipped at the buffer');
  }
  const west = cutFeature(index, 0, tileFrame(16, frame.x - 5, frame.y));
  t.equal(west, null, 'nothing in a tile away from it');
});
