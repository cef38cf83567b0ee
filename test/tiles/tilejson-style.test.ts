import t from 'tap';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { tileCatalog, tileJson, tileUrlTemplate } from '../../tiles/tilejson.js';
import { buildStyle, LOCAL_FONTS } from '../../tiles/style.js';
import { MAJOR_COLOURS } from '../../tiles/style-layers.js';
import { demo, DATA_VERSION } from '../fixtures/tiles/demo.js';

const { sources } = demo();
const all = [...sources.values()];
const baseUrl = 'https://gis.example.cn/wanmi/';

t.test('TileJSON 3.0.0: versioned absolute URL, layers with fields, zooms, bounds', async (t) => {
  const tj = tileJson(sources.get('components')!, { baseUrl });
  t.equal(tj.tilejson, '3.0.0');
  t.same(tj.tiles, [`https://gis.example.cn/wanmi/tiles/components/{z}/{x}/{y}.mvt?v=${DATA_VERSION}`]);
  t.equal(tj.version, String(DATA_VERSION));
  t.equal(tj.scheme, 'xyz');
  t.same(tj.vector_layers.map((l) => l.id), ['component_clusters', 'components']);
  t.same(Object.keys(tj.vector_layers[1].fields).sort(), ['id', 'maintainer', 'major', 'name', 'owner', 'state', 'typeCode']);
  t.equal(tj.vector_layers[0].fields.count_04, 'Number');
  t.equal(tj.vector_layers[0].maxzoom, 15);
  t.equal(tj.vector_layers[1].minzoom, 16);
  t.same(tj.filters, ['class', 'owner', 'state']);
  const [w, s, e, n] = tj.bounds;
  t.ok(w > 120 && e < 121 && s > 30 && n < 31 && w < e && s < n, `bounds ${tj.bounds.join(',')}`);
  t.ok(tj.minzoom <= tj.center[2] && tj.center[2] <= tj.maxzoom);
  t.ok(tj.attribution.length > 0);
  t.throws(() => tileJson(sources.get('grids')!, { baseUrl: '/relative' }), 'tile URLs must be absolute');
  t.equal(tileUrlTemplate(['admin', 'grids'], 3, { baseUrl: 'http://localhost:8080' }), 'http://localhost:8080/tiles/admin,grids/{z}/{x}/{y}.mvt?v=3');
});

t.test('catalog lists every source', async (t) => {
  const catalog = tileCatalog(all);
  t.same(Object.keys(catalog.tiles).sort(), ['addresses', 'admin', 'components', 'grids', 'roads', 'zones']);
  t.equal(catalog.tiles.grids.content_type, 'application/x-protobuf');
  t.same(catalog.tiles.admin.layers, ['district', 'street', 'community', 'admin_labels']);
  t.equal(catalog.dataVersion, DATA_VERSION);
});

t.test('the style validates with maplibre-gl-style-spec, with and without labels', async (t) => {
  for (const withLabels of [true, false]) {
    const style = buildStyle(all, { baseUrl, withLabels });
    t.same(validateStyleMin(style), [], `withLabels=${withLabels}: no validation errors`);
    const symbols = style.layers.filter((l) => l.type === 'symbol');
    if (withLabels) {
      t.equal(style.glyphs, undefined, 'no glyph server: clients draw labels with their own fonts');
      t.ok(symbols.every((l) => JSON.stringify(l.layout?.['text-font']) === JSON.stringify(LOCAL_FONTS)), 'local Chinese fonts, then sans-serif');
      t.ok(symbols.some((l) => 'source-layer' in l && l['source-layer'] === 'grid_labels'), 'grid labels');
      t.ok(symbols.some((l) => 'source-layer' in l && l['source-layer'] === 'admin_labels'), 'community/street names');
    } else {
      t.equal(style.glyphs, undefined);
      t.equal(symbols.length, 0);
    }
    t.notOk(JSON.stringify(style).match(/mapbox\.com|openstreetmap\.org|maptiler/), 'no external basemap or service');
  }
});

t.test('every style layer uses a declared source layer, and components are coloured by major class', async (t) => {
  const style = buildStyle(all, { baseUrl, withLabels: true, glyphs: 'http://localhost/fonts/{fontstack}/{range}.pbf', font: ['Noto Sans Regular'] });
  t.equal(style.glyphs, 'http://localhost/fonts/{fontstack}/{range}.pbf', 'a configured glyph server');
  t.same(validateStyleMin(style), []);
  t.ok(style.layers.filter((l) => l.type === 'symbol').every((l) => JSON.stringify(l.layout?.['text-font']) === '["Noto Sans Regular"]'), 'with its font stack');
  for (const layer of style.layers) {
    if (!('source-layer' in layer) || !layer.source) continue;
    const source = sources.get(layer.source as string)!;
    t.ok(source.layers.some((l) => l.id === layer['source-layer']), `${layer.id} → ${layer.source}/${layer['source-layer']}`);
  }
  const points = style.layers.find((l) => l.id === 'components-point')!;
  const colour = JSON.stringify((points as { paint: Record<string, unknown> }).paint['circle-color']);
  for (const [major, hex] of Object.entries(MAJOR_COLOURS)) t.ok(colour.includes(`"${major}","${hex}"`), `major ${major}`);
  t.match(JSON.stringify(style.sources.components), /v=42/);
});
