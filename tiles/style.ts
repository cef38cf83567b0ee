import type { StyleSpecification, VectorSourceSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { TileSource } from './source.js';
import { tileUrlTemplate, type TileUrlOptions } from './tilejson.js';
import { geometryLayers, labelLayers } from './style-layers.js';

export interface StyleOptions extends TileUrlOptions {
  /** Add text labels (grid codes and names, community/street/district names, roads, zones, address numbers). */
  withLabels: boolean;
  /**
   * A glyph server's URL template (`…/{fontstack}/{range}.pbf`) for clients that need one (MapLibre
   * Native). Absent: the style has no `glyphs`, and MapLibre GL JS (≥ 5.11) draws every label with the
   * client's own fonts — nothing to download, so labels work on a closed network.
   */
  glyphs?: string;
  /** `text-font` of every label: font names for local rendering, or font stacks the glyph server has. */
  font?: string[];
}

/** Source ids the style draws from; every one must be among the sources given. */
const STYLE_SOURCES = ['admin', 'grids', 'components', 'addresses', 'roads', 'zones'];

/**
 * Fonts for labels drawn with the client's own fonts, tried in order like a CSS font-family list: the
 * common Simplified Chinese faces of Linux (Noto/Source Han, WenQuanYi), Windows (Microsoft YaHei) and
 * Apple (PingFang), then the browser's sans-serif.
 */
export const LOCAL_FONTS = ['Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', 'sans-serif'];

/**
 * Wanmi's MapLibre style (version 8): admin polygons as the base (no external basemap), zones
 * translucent with dashed edges, roads, grid outlines from z13, component clusters below the cluster zoom
 * and components coloured by major class above it, address points; labels on top (optional).
 *
 * Each source is inlined with its versioned tile URL, zoom range and bounds, so the style alone is enough
 * to draw the map and changes whenever the data version does. `promoteId` lets clients use feature state
 * by the string code/id (MVT feature ids are row numbers).
 */
export function buildStyle(sources: readonly TileSource[], options: StyleOptions): StyleSpecification {
  const byId = new Map(sources.map((s) => [s.id, s]));
  const styleSources: Record<string, VectorSourceSpecification> = {};
  for (const id of STYLE_SOURCES) {
    const s = byId.get(id);
    if (!s) throw new Error(`the style needs tile source ${id}`);
    styleSources[id] = {
      type: 'vector', tiles: [tileUrlTemplate([id], s.dataVersion, options)], minzoom: s.minzoom, maxzoom: s.maxzoom,
      bounds: [...s.bounds], attribution: s.attribution, promoteId: promoteIdOf(s),
    };
  }
  const center = centerOf(byId.get('admin')!);
  const style: StyleSpecification = {
    version: 8,
    name: 'Wanmi 数字城管',
    metadata: { 'wanmi:dataVersion': byId.get('admin')!.dataVersion, 'wanmi:labels': options.withLabels },
    center, zoom: 13,
    sources: styleSources,
    layers: [...geometryLayers(), ...(options.withLabels ? labelLayers(options.font ?? LOCAL_FONTS) : [])],
  };
  if (options.withLabels && options.glyphs) style.glyphs = options.glyphs;
  return style;
}

/** The attribute each layer's features are known by: `code` for areas, `id` for everything else. */
function promoteIdOf(s: TileSource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of s.layers) {
    if ('code' in l.fields) out[l.id] = 'code';
    else if ('id' in l.fields) out[l.id] = 'id';
  }
  return out;
}

function centerOf(s: TileSource): [number, number] {
  const [w, south, e, n] = s.bounds;
  return [(w + e) / 2, (south + n) / 2];
}
