import type { FastifyPluginAsync } from 'fastify';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../paths.js';

const require = createRequire(import.meta.url);

/**
 * The map page (GET /) and the MapLibre GL JS assets it loads, served from the npm package so the page
 * works on a closed network with no CDN. Files are read once at start.
 */
export const mapPageRoutes: FastifyPluginAsync = async (app) => {
  const page = readFileSync(path.join(packageRoot(), 'tiles', 'web', 'map.html'));
  const dist = path.join(path.dirname(require.resolve('maplibre-gl/package.json')), 'dist');
  const assets: Record<string, { type: string; body: Buffer }> = {
    'maplibre-gl.js': { type: 'application/javascript; charset=utf-8', body: readFileSync(path.join(dist, 'maplibre-gl.js')) },
    'maplibre-gl.css': { type: 'text/css; charset=utf-8', body: readFileSync(path.join(dist, 'maplibre-gl.css')) },
  };
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get<{ Params: { file: string } }>('/assets/:file', { schema: { hide: true } }, async (req, reply) => {
    const asset = assets[req.params.file];
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(asset.body);
  });
};
