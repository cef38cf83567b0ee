import { createHash } from 'node:crypto';
import Pbf from 'pbf';
import type { LayerCut } from './mvt-writer.js';

/**
 * Hard caps on one tile, so no request can make the service build or send a huge tile.
 *
 * Each layer hands over its features best first (by a stable rank fixed at build, never by request
 * order). Over a cap, every layer keeps the same leading share of its features:
 *
 *  1. feature cap: share = maxFeatures / total; byte cap: the share a leading sample's bytes per feature
 *     says will fit (so a huge tile is not encoded whole just to learn its size);
 *  2. encode; while the bytes still exceed maxBytes, shrink the share by the overshoot (with 10 %
 *     headroom) and encode again — rarely more than one pass, as size is close to linear in features;
 *  3. report how many features were dropped, so the route can say so (X-Wanmi-Tile-Dropped header).
 */
export interface TileLimits {
  /** Most features in one tile, all layers together. */
  maxFeatures: number;
  /** Most bytes of one encoded (uncompressed) tile. */
  maxBytes: number;
}

export const DEFAULT_LIMITS: TileLimits = { maxFeatures: 20_000, maxBytes: 500 * 1024 };

/** One encoded tile with what the HTTP layer needs to answer for it. */
export interface RenderedTile {
  /** The MVT bytes, uncompressed. */
  data: Uint8Array;
  /** Strong ETag value (quoted), from the bytes. */
  etag: string;
  /** Features written. */
  features: number;
  /** Features left out by the caps; > 0 means the tile is truncated. */
  dropped: number;
}

/**
 * Encodes the layers within the limits; null when there is no feature at all (HTTP 204). `buffer` is
 * where tiles are assembled before their bytes are copied out: a source passes its own, reused tile
 * after tile (it grows to the largest tile, at most about the byte cap), so a tile does not start a new
 * buffer and double it up to size.
 */
export function encodeWithinLimits(layers: readonly LayerCut[], limits: TileLimits, buffer = new Pbf()): RenderedTile | null {
  const total = layers.reduce((n, l) => n + l.length, 0);
  if (total === 0) return null;
  let ranked = false;
  const rank = () => {
    if (!ranked) for (const l of layers) l.rank();
    ranked = true;
  };
  let share = Math.min(1, limits.maxFeatures / total);
  if (share < 1 || total > SAMPLE_ABOVE) rank();
  share = Math.min(share, byteShare(layers, total, limits.maxBytes, buffer));
  for (let pass = 0; pass < 8; pass++) {
    if (share < 1) rank();
    const counts = layers.map((l) => (share >= 1 ? l.length : Math.floor(l.length * share)));
    const data = encode(layers, counts, buffer);
    if (data.length <= limits.maxBytes) {
      const features = counts.reduce((n, c) => n + c, 0);
      return data.length === 0 ? null : { data, etag: etagOf(data), features, dropped: total - features };
    }
    share = Math.min(share, 1) * (limits.maxBytes / data.length) * 0.9;
  }
  // Not reached in practice (each pass lands under the cap); an empty answer is safer than a huge one.
  return null;
}

/** The first counts[i] features of each layer as one tile (a copy of exactly its bytes). */
function encode(layers: readonly LayerCut[], counts: readonly number[], pbf: Pbf): Uint8Array {
  pbf.pos = 0;
  layers.forEach((l, i) => l.write(pbf, counts[i]));
  return pbf.buf.slice(0, pbf.pos);
}

/** Features encoded to estimate bytes per feature before encoding a big tile whole. */
const SAMPLE = 1000;
/**
 * Tiles with at most this many features are encoded whole straight away: most fit, and sampling first
 * would encode a z16 tile of ~1,200 components almost twice. Above it, a sample sizes the first pass.
 */
const SAMPLE_ABOVE = 5000;

/**
 * The share that should fit maxBytes, from the bytes per feature of a leading sample (of ranked
 * layers): a 30k-feature tile is then encoded about once at the right size, not once at 20k features
 * only to learn it is too big.
 */
function byteShare(layers: readonly LayerCut[], total: number, maxBytes: number, pbf: Pbf): number {
  if (total <= SAMPLE_ABOVE) return 1;
  const counts = layers.map((l) => Math.floor((l.length * SAMPLE) / total));
  const sampled = counts.reduce((n, c) => n + c, 0);
  const perFeature = encode(layers, counts, pbf).length / Math.max(sampled, 1);
  return perFeature > 0 ? (maxBytes * 0.95) / (perFeature * total) : 1;
}

/** A strong validator for tile bytes: 27 base64url characters of SHA-1, quoted as RFC 9110 asks. */
export function etagOf(data: Uint8Array): string {
  return `"${createHash('sha1').update(data).digest('base64url')}"`;
}
