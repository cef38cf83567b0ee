import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';

/**
 * The layers of Wanmi's MapLibre style, bottom to top. No external basemap: the admin polygons are the
 * base. Geometry layers first, then (optionally) every text label, so labels are never drawn under a fill.
 */

/** Colours by component major class (GB/T 30428.2): one hue each, readable on the light base. */
export const MAJOR_COLOURS: Readonly<Record<string, string>> = {
  '01': '#e6550d', // 公用设施 public utilities
  '02': '#3182bd', // 道路交通 traffic
  '03': '#756bb1', // 市容环境 city appearance
  '04': '#31a354', // 园林绿化 greenery
  '05': '#8c6d31', // 房屋土地 buildings and land
  '06': '#636363', // 其他设施 other
};

const OTHER_COLOUR = '#999999';

const majorColour: ExpressionSpecification = [
  'match', ['get', 'major'], ...Object.entries(MAJOR_COLOURS).flat(), OTHER_COLOUR,
] as unknown as ExpressionSpecification;

const zoneColour: ExpressionSpecification = ['match', ['get', 'kind'], 'park', '#4caf50', 'development_zone', '#5c7cfa', '#c2185b'];

const byZoom = (...stops: number[]): ExpressionSpecification =>
  ['interpolate', ['linear'], ['zoom'], ...stops] as unknown as ExpressionSpecification;

export function geometryLayers(): LayerSpecification[] {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': '#f3f0e8' } },
    { id: 'district-fill', type: 'fill', source: 'admin', 'source-layer': 'district', paint: { 'fill-color': '#fbf9f4' } },
    {
      id: 'community-fill', type: 'fill', source: 'admin', 'source-layer': 'community', minzoom: 12,
      paint: { 'fill-color': '#e9e2d0', 'fill-opacity': 0.35, 'fill-outline-color': '#d8ccb0' },
    },
    {
      id: 'zones-fill', type: 'fill', source: 'zones', 'source-layer': 'zones',
      paint: { 'fill-color': zoneColour, 'fill-opacity': 0.18 },
    },
    {
      // A dashed edge over the translucent fill stands in for hatching (a fill-pattern needs a sprite).
      id: 'zones-outline', type: 'line', source: 'zones', 'source-layer': 'zones',
      paint: { 'line-color': zoneColour, 'line-width': 1.5, 'line-dasharray': [3, 2], 'line-opacity': 0.8 },
    },
    {
      id: 'roads-casing', type: 'line', source: 'roads', 'source-layer': 'roads', layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#d6cfbf', 'line-width': byZoom(10, 1.5, 14, 6, 18, 22) },
    },
    {
      id: 'roads', type: 'line', source: 'roads', 'source-layer': 'roads', layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': byZoom(10, 0.8, 14, 4, 18, 18) },
    },
    {
      id: 'grids-outline', type: 'line', source: 'grids', 'source-layer': 'grids', minzoom: 13,
      paint: { 'line-color': '#4a7fc1', 'line-width': byZoom(13, 0.4, 18, 1.5), 'line-opacity': 0.7 },
    },
    {
      id: 'community-outline', type: 'line', source: 'admin', 'source-layer': 'community', minzoom: 12,
      paint: { 'line-color': '#b08d57', 'line-width': 1, 'line-dasharray': [4, 2] },
    },
    {
      id: 'street-outline', type: 'line', source: 'admin', 'source-layer': 'street', minzoom: 10,
      paint: { 'line-color': '#8d6e3f', 'line-width': byZoom(10, 1, 16, 2.5), 'line-dasharray': [6, 2, 1, 2] },
    },
    {
      id: 'district-outline', type: 'line', source: 'admin', 'source-layer': 'district',
      paint: { 'line-color': '#6b4f2a', 'line-width': byZoom(8, 1.5, 16, 4) },
    },
    ...componentLayers(),
    {
      id: 'addresses', type: 'circle', source: 'addresses', 'source-layer': 'addresses', minzoom: 16,
      paint: { 'circle-radius': 2, 'circle-color': '#8a8a8a' },
    },
  ];
}

function componentLayers(): LayerSpecification[] {
  return [
    {
      id: 'component-clusters', type: 'circle', source: 'components', 'source-layer': 'component_clusters',
      paint: {
        'circle-color': '#6a5acd', 'circle-opacity': 0.55, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
        'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 1, 3, 10, 6, 100, 11, 1000, 18],
      },
    },
    {
      id: 'components-fill', type: 'fill', source: 'components', 'source-layer': 'components',
      filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': majorColour, 'fill-opacity': 0.45 },
    },
    {
      id: 'components-line', type: 'line', source: 'components', 'source-layer': 'components',
      filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': majorColour, 'line-width': 2 },
    },
    {
      id: 'components-point', type: 'circle', source: 'components', 'source-layer': 'components',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-color': majorColour, 'circle-radius': byZoom(16, 2.5, 19, 6),
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 0.5,
      },
    },
  ];
}

/** Text layers, drawn above every geometry layer. */
export function labelLayers(font: string[]): LayerSpecification[] {
  const t = { paint: { 'text-color': '#333333', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 } };
  return [
    {
      id: 'road-names', type: 'symbol', source: 'roads', 'source-layer': 'roads', minzoom: 13,
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': font, 'text-size': 12 },
      paint: t.paint,
    },
    {
      id: 'grid-labels', type: 'symbol', source: 'grids', 'source-layer': 'grid_labels', minzoom: 16,
      layout: {
        'text-field': ['step', ['zoom'], ['get', 'code'], 17, ['format', ['get', 'name'], {}, '\n', {}, ['get', 'code'], { 'font-scale': 0.8 }]],
        'text-font': font, 'text-size': 11, 'text-max-width': 12,
      },
      paint: { 'text-color': '#2f5d99', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
    },
    {
      id: 'zone-labels', type: 'symbol', source: 'zones', 'source-layer': 'zone_labels',
      layout: { 'text-field': ['get', 'name'], 'text-font': font, 'text-size': 12 }, paint: t.paint,
    },
    {
      id: 'address-numbers', type: 'symbol', source: 'addresses', 'source-layer': 'addresses', minzoom: 18,
      layout: { 'text-field': ['get', 'number'], 'text-font': font, 'text-size': 10, 'text-offset': [0, 0.8] },
      paint: { 'text-color': '#666666', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
    },
    {
      id: 'cluster-counts', type: 'symbol', source: 'components', 'source-layer': 'component_clusters',
      filter: ['>', ['get', 'count'], 1],
      layout: { 'text-field': ['to-string', ['get', 'count']], 'text-font': font, 'text-size': 10, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff' },
    },
    {
      // Community and street names (districts from z10), larger for higher levels.
      id: 'admin-labels', type: 'symbol', source: 'admin', 'source-layer': 'admin_labels',
      layout: {
        'text-field': ['get', 'name'], 'text-font': font,
        'text-size': ['match', ['get', 'level'], 'district', 18, 'street', 15, 13],
      },
      paint: { 'text-color': '#5a4322', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
  ];
}
