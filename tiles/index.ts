/**
 * Wanmi's vector tiles: a pure core (plain rows and typed arrays in, MVT bytes and JSON out) that the
 * HTTP routes call. Nothing here imports Fastify or reads the store.
 */

// Typed errors with stable codes (WANMI_TILE_ZOOM, _RANGE, _SOURCE, _FILTER) and their HTTP status.
export { TileError, TILE_ERRORS, isTileError, type TileErrorCode } from './errors.js';
// Web Mercator, tile address validation and the frame every layer cuts with.
export { EXTENT, MAX_ZOOM, BUFFER, validateTile, tileFrame, mercatorX, mercatorY, lonOf, latOf, type TileFrame } from './mercator.js';
// The MVT 2.1 encoder on pbf (dictionaries, commands, winding).
export { encodeTile, ringArea, type MvtLayer, type MvtFeature, type MvtGeometry, type MvtProperties, type MvtValue } from './mvt-writer.js';
// Sutherland–Hodgman ring clipping and line clipping into parts.
export { clipRing, clipLine } from './clip.js';
// Douglas–Peucker in tile units and quantisation.
export { simplify, quantise } from './simplify.js';
// Per-layer flat geometry projected once, with a flatbush tree.
export { TileLayerIndex, POINT, LINE, POLYGON } from './layer-index.js';
// Feature → clipped, simplified integer geometry for one tile.
export { cutFeature, type CutOptions } from './cut.js';
// Feature and byte caps, ETags.
export { DEFAULT_LIMITS, encodeWithinLimits, etagOf, type TileLimits, type RenderedTile } from './budget.js';
// The TileSource interface and the layered implementation.
export { LayeredSource, type TileSource, type TileQuery, type TileFilters, type VectorLayerInfo, type FieldType, type LayerRenderer } from './source.js';
// Component clusters below the cluster zoom.
export { MAJORS } from './clusters.js';
// The components source with its filters.
export { COMPONENT_FILTERS } from './component-source.js';
// Every source built from plain rows, once per data version.
export { buildTileSources, DEFAULT_ATTRIBUTION, type TileRows, type TileSourceOptions } from './sources.js';
// TileJSON 3.0.0, tile URL templates and the catalog.
export { tileJson, tileCatalog, tileUrlTemplate, type TileJson, type TileCatalog, type TileUrlOptions } from './tilejson.js';
// The MapLibre style (version 8), labels optional.
export { buildStyle, LOCAL_FONTS, type StyleOptions } from './style.js';
export { MAJOR_COLOURS } from './style-layers.js';
// The byte-bounded LRU of rendered tiles.
export { TileCache, tileCacheKey, type TileKey, type TileCacheStats, type CachedTile } from './cache.js';
// Sources + cache + composite tiles: what a route calls.
export { TileService } from './service.js';
