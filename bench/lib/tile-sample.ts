import type { Component } from '../../src/domain/types.js';
import { createRng } from '../../src/demo/prng.js';
import { mercatorX, mercatorY } from '../../tiles/mercator.js';

/** One tile address. */
export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/**
 * Up to `perZoom` distinct tiles per zoom, where the data is: each draw takes a seeded random component
 * and the tile holding its first vertex, so dense districts are sampled as often as a map user would
 * look at them. Stops after 50 × perZoom draws (a z12 city has only a handful of tiles). Sorted per zoom.
 */
export function sampleTiles(components: readonly Component[], zooms: readonly number[], perZoom: number, seed: number): Map<number, TileAddress[]> {
  const out = new Map<number, TileAddress[]>();
  for (const z of zooms) {
    const rng = createRng(seed).fork(`z${z}`);
    const n = 2 ** z;
    const seen = new Map<string, TileAddress>();
    for (let draw = 0; draw < 50 * perZoom && seen.size < perZoom; draw++) {
      const [lon, lat] = firstVertex(components[rng.int(0, components.length - 1)]);
      const t = { z, x: Math.floor(mercatorX(lon) * n), y: Math.floor(mercatorY(lat) * n) };
      seen.set(`${t.x}/${t.y}`, t);
    }
    out.set(z, [...seen.values()].sort((a, b) => a.x - b.x || a.y - b.y));
  }
  return out;
}

function firstVertex(c: Component): number[] {
  let g: unknown = c.geometry.coordinates;
  while (Array.isArray(g) && Array.isArray(g[0])) g = g[0];
  return g as number[];
}

/** Median and 99th percentile (nearest rank) of a list of timings. */
export function percentiles(xs: readonly number[]): { median: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, p99: NaN, max: NaN };
  const rank = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  const m = s.length >> 1;
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, p99: rank(0.99), max: s[s.length - 1] };
}
