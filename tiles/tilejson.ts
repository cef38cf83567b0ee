import type { TileSource, VectorLayerInfo } from './source.js';

/** TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0) for a vector source. */
export interface TileJson {
  tilejson: '3.0.0';
  name: string;
  description: string;
  version: string;
  attribution: string;
  scheme: 'xyz';
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number];
  center: [number, number, number];
  vector_layers: VectorLayerInfo[];
  /** Filters the tile URL accepts as query parameters (a Wanmi extension; TileJSON allows extra keys). */
  filters: string[];
}

export interface TileUrlOptions {
  /** Absolute base URL the service is reached at, e.g. https://gis.example.cn/wanmi (no trailing slash needed). */
  baseUrl: string;
}

/**
 * The tile URL template of one or more sources: absolute (TileJSON asks for it; clients resolve nothing),
 * with `v=<version>` (the newest version of the sources' own layers) so an import changes the URLs of
 * exactly the sources it touched and no browser or CDN cache serves old tiles.
 * Several ids joined by commas make a composite tile, martin style.
 */
export function tileUrlTemplate(ids: readonly string[], dataVersion: number, options: TileUrlOptions): string {
  return `${absoluteBase(options.baseUrl)}/tiles/${ids.join(',')}/{z}/{x}/{y}.mvt?v=${dataVersion}`;
}

export function tileJson(source: TileSource, options: TileUrlOptions): TileJson {
  const [w, s, e, n] = source.bounds;
  const centerZoom = Math.min(Math.max(source.minzoom, 14), source.maxzoom);
  return {
    tilejson: '3.0.0',
    name: source.name,
    description: source.description,
    version: String(source.dataVersion),
    attribution: source.attribution,
    scheme: 'xyz',
    tiles: [tileUrlTemplate([source.id], source.dataVersion, options)],
    minzoom: source.minzoom,
    maxzoom: source.maxzoom,
    bounds: [w, s, e, n],
    center: [(w + e) / 2, (s + n) / 2, centerZoom],
    vector_layers: source.layers.map((l) => ({ ...l, fields: { ...l.fields } })),
    filters: [...source.filterNames],
  };
}

/** martin's catalog shape: every source by id, with what a client needs to pick one. */
export interface TileCatalog {
  tiles: Record<string, { content_type: string; name: string; description: string; minzoom: number; maxzoom: number; layers: string[] }>;
  dataVersion: number;
}

export function tileCatalog(sources: readonly TileSource[]): TileCatalog {
  const tiles: TileCatalog['tiles'] = {};
  for (const s of sources) {
    tiles[s.id] = {
      content_type: 'application/x-protobuf', name: s.name, description: s.description,
      minzoom: s.minzoom, maxzoom: s.maxzoom, layers: s.layers.map((l) => l.id),
    };
  }
  return { tiles, dataVersion: Math.max(0, ...sources.map((s) => s.dataVersion)) };
}

function absoluteBase(baseUrl: string): string {
  const url = new URL(baseUrl); // throws on a relative URL: TileJSON tile URLs must be absolute
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`baseUrl must be http(s), got ${url.protocol}`);
  return url.href.replace(/\/+$/, '');
}
