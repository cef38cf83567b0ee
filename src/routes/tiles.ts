import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { gzipSync } from 'node:zlib';
import { tileCatalog, tileJson, buildStyle } from '../../tiles/index.js';

const MVT = 'application/vnd.mapbox-vector-tile';
const FILTERS = ['class', 'owner', 'state'] as const;

/**
 * Vector tiles the martin way: a catalog, TileJSON 3.0.0 per source with versioned URLs, tiles of one or
 * several sources (`/tiles/grids,components/{z}/{x}/{y}.mvt`), a MapLibre style. 204 for an empty tile,
 * 400 for a bad address, 404 for an unknown source, strong ETag + 304, gzip when accepted, and
 * `immutable` caching for URLs that carry the current data version.
 */
export const tileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Gzipped bytes per rendered tile; rendered tiles are shared through the tile cache, so this follows it.
  const gzipped = new WeakMap<Uint8Array, Buffer>();

  app.get('/tiles/catalog', {
    schema: { summary: 'The tile sources', tags: ['tiles'], response: { 200: Type.Object({ tiles: Type.Record(Type.String(), Type.Unknown()) }) } },
  }, async () => ({ tiles: tileCatalog([...app.wanmi.index.current.tiles.sources.values()]).tiles }));

  app.get('/tiles/:source', {
    schema: {
      summary: 'TileJSON 3.0.0 of one source', tags: ['tiles'],
      params: Type.Object({ source: Type.String({ pattern: '^[a-z_]+$' }) }),
      response: { 200: Type.Record(Type.String(), Type.Unknown()), 404: { $ref: 'WanmiError#' } },
    },
  }, async (req) => tileJson(app.wanmi.index.current.tiles.source(req.params.source), { baseUrl: baseUrl(req, app.wanmi.config.publicUrl) }));

  app.get('/tiles/:sources/:z/:x/:y.mvt', {
    schema: {
      summary: 'A Mapbox Vector Tile of one or several sources (comma-separated)', tags: ['tiles'],
      params: Type.Object({
        sources: Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', description: 'e.g. grids or grids,components' }),
        z: Type.Integer(), x: Type.Integer(), y: Type.Integer(),
      }),
      querystring: Type.Object({
        v: Type.Optional(Type.Integer({ description: 'Data version (from TileJSON); makes the URL immutable' })),
        class: Type.Optional(Type.String({ pattern: '^\\d{2}(\\d{2,3})?(,\\d{2}(\\d{2,3})?)*$', description: 'Component major classes or type codes, comma-separated' })),
        owner: Type.Optional(Type.String({ minLength: 1, description: 'Owner unit codes, comma-separated' })),
        state: Type.Optional(Type.String({ minLength: 1, description: 'Component states, comma-separated' })),
      }),
    },
  }, async (req, reply) => {
    const { sources, z, x, y } = req.params;
    const index = app.wanmi.index.current;
    const filters: Record<string, string> = {};
    for (const name of FILTERS) if (req.query[name] !== undefined) filters[name] = req.query[name]!;
    const tile = index.tiles.tile(sources, z, x, y, filters);
    const current = req.query.v === index.tiles.versionOf(sources);
    reply.header('cache-control', current ? 'public, max-age=86400, immutable' : app.wanmi.config.tileCacheControl);
    reply.header('vary', 'accept-encoding');
    if (!tile) return reply.code(204).send();
    reply.header('etag', tile.etag);
    if (tile.dropped > 0) reply.header('x-wanmi-tile-dropped', String(tile.dropped));
    if (req.headers['if-none-match'] === tile.etag) return reply.code(304).send();
    reply.type(MVT);
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      let body = gzipped.get(tile.data);
      if (!body) gzipped.set(tile.data, (body = gzipSync(tile.data)));
      return reply.header('content-encoding', 'gzip').send(body);
    }
    return reply.send(Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength));
  });

  app.get('/styles/wanmi.json', {
    schema: {
      summary: 'A MapLibre style for every layer (no external basemap)', tags: ['tiles'],
      description: 'Labels have no `glyphs` unless WANMI_GLYPHS_URL names a glyph server: MapLibre GL JS ≥ 5.11 then draws them with the client\'s own fonts (nothing to download).',
      querystring: Type.Object({ labels: Type.Boolean({ default: true, description: 'Text labels: grid codes and names, admin areas, roads, zones, house numbers' }) }),
      response: { 200: Type.Record(Type.String(), Type.Unknown()) },
    },
  }, async (req) => buildStyle([...app.wanmi.index.current.tiles.sources.values()], {
    baseUrl: baseUrl(req, app.wanmi.config.publicUrl), withLabels: req.query.labels,
    glyphs: app.wanmi.config.glyphs?.url, font: app.wanmi.config.glyphs?.font,
  }));
};

/** Absolute base URL for TileJSON and styles: configured, or from the request. */
function baseUrl(req: FastifyRequest, configured: string | undefined): string {
  return configured ?? `${req.protocol}://${req.host}`;
}
