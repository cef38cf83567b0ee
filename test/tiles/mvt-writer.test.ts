import t from 'tap';
import { encodeTile, type MvtLayer } from '../../tiles/mvt-writer.js';
import { area2, decode, features, rawLayers } from '../fixtures/tiles/decode.js';

t.test('an empty tile is zero bytes; a layer without drawable features is left out', async (t) => {
  t.equal(encodeTile([]).length, 0);
  t.equal(encodeTile([{ name: 'empty', features: [] }]).length, 0);
  const degenerate: MvtLayer = {
    name: 'degenerate',
    features: [
      { geometry: { type: 'LineString', lines: [[5, 5, 5, 5]] }, properties: {} },
      { geometry: { type: 'Polygon', polygons: [[[0, 0, 10, 10, 20, 20]]] }, properties: {} },
    ],
  };
  t.equal(encodeTile([degenerate]).length, 0, 'zero-length line and zero-area ring dropped');
});

t.test('spec examples encode to the spec command integers', async (t) => {
  const data = encodeTile([{
    name: 'hello',
    features: [
      { id: 1, geometry: { type: 'Point', points: [25, 17] }, properties: {} },
      { id: 2, geometry: { type: 'Point', points: [5, 7, 3, 2] }, properties: {} },
      { id: 3, geometry: { type: 'LineString', lines: [[2, 2, 2, 10, 10, 10]] }, properties: {} },
      { id: 4, geometry: { type: 'LineString', lines: [[2, 2, 2, 10, 10, 10], [1, 1, 3, 5]] }, properties: {} },
      { id: 5, geometry: { type: 'Polygon', polygons: [[[3, 6, 8, 12, 20, 34]]] }, properties: {} },
    ],
  }]);
  const geoms = rawLayers(data)[0].features.map((f) => f.geometry);
  t.same(geoms[0], [9, 50, 34]);
  t.same(geoms[1], [17, 10, 14, 3, 9]);
  t.same(geoms[2], [9, 4, 4, 18, 0, 16, 16, 0]);
  t.same(geoms[3], [9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8]);
  t.same(geoms[4], [9, 6, 12, 18, 10, 12, 24, 44, 15]);
  t.same(rawLayers(data)[0].features.map((f) => f.type), [1, 1, 2, 2, 3]);
});

t.test('keys and values are deduplicated per layer and typed', async (t) => {
  const props = [
    { name: '路灯', count: 3, ratio: 0.5, neg: -7, flag: true, missing: null },
    { name: '路灯', count: 3, ratio: 0.25, neg: -7, flag: false, text3: '3' },
  ];
  const data = encodeTile([{
    name: 'l',
    features: props.map((p, i) => ({ id: i + 10, geometry: { type: 'Point', points: [i, i] }, properties: p })),
  }]);
  const fs = features(data, 'l');
  t.same(fs.map((f) => f.id), [10, 11]);
  t.same(fs[0].properties, { name: '路灯', count: 3, ratio: 0.5, neg: -7, flag: true });
  t.same(fs[1].properties, { name: '路灯', count: 3, ratio: 0.25, neg: -7, flag: false, text3: '3' });
  t.same(rawLayers(data)[0].keys, ['name', 'count', 'ratio', 'neg', 'flag', 'text3'], 'each key once, nulls skipped');
  t.equal(typeof fs[1].properties.text3, 'string', 'the string "3" is not merged with the number 3');
  const layer = decode(data).layers.l as unknown as { _values: unknown[] };
  t.equal(layer._values.length, 8, '路灯, 3, 0.5, -7, true, 0.25, false, "3"');
});

t.test('winding: exteriors positive, holes negative, whatever the input order', async (t) => {
  const ccwSquare = [0, 0, 0, 100, 100, 100, 100, 0]; // negative area in y-down coordinates
  const cwHole = [20, 20, 80, 20, 80, 80, 20, 80]; // positive: must be reversed to be a hole
  const data = encodeTile([{
    name: 'p',
    features: [{ geometry: { type: 'Polygon', polygons: [[ccwSquare, cwHole], [[200, 0, 300, 0, 300, 100, 200, 100, 200, 0]]] }, properties: {} }],
  }]);
  const [f] = features(data, 'p');
  t.equal(f.geometry.length, 3);
  t.ok(area2(f.geometry[0]) > 0, 'exterior 1 positive');
  t.ok(area2(f.geometry[1]) < 0, 'hole negative');
  t.ok(area2(f.geometry[2]) > 0, 'exterior 2 positive');
  t.equal(f.geometry[2].length, 5, 'closing vertex given in input is not doubled (4 + decoder closing point)');
  const geojson = decode(data).layers.p.feature(0).toGeoJSON(0, 0, 0);
  t.equal(geojson.geometry.type, 'MultiPolygon');
});

t.test('consecutive duplicates are dropped, never a zero-length LineTo', async (t) => {
  const data = encodeTile([{ name: 'l', features: [{ geometry: { type: 'LineString', lines: [[0, 0, 0, 0, 5, 5, 5, 5, 9, 0]] }, properties: {} }] }]);
  t.same(features(data, 'l')[0].geometry, [[[0, 0], [5, 5], [9, 0]]]);
});

t.test('ids beyond 2^53 are not written; big coordinates zigzag exactly', async (t) => {
  const data = encodeTile([{
    name: 'l',
    features: [{ id: 2 ** 60, geometry: { type: 'LineString', lines: [[2147483647, 0, 2147483648, 1]] }, properties: {} }],
  }]);
  const [f] = features(data, 'l');
  t.equal(f.id, undefined);
  t.same(f.geometry, [[[2147483647, 0], [2147483648, 1]]]);
});
