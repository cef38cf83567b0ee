import { hash } from 'node:crypto';
import type { Geometry } from '../src/domain/types.js';
import type { LayerCodec } from '../src/store/layers.js';

/**
 * A feature's fingerprint: a hash of its stored columns and its geometry in a canonical form, so that
 * "changed" means changed as stored, whichever store and reader it came through:
 *  - columns as the codec writes them (a component's `extra` as its JSON text), in the codec's fixed
 *    order (no key sorting: it cost 30 µs a feature, most of a re-import's time);
 *  - coordinates rounded to 1e-7° (~1 cm): a re-export that prints 15 instead of 17 digits is no change;
 *  - a one-part MultiPolygon/MultiLineString is its single part (the store demotes them when read).
 */
const ROUND = 1e7;

export function canonicalGeometry(g: Geometry): Geometry {
  if (g.type === 'MultiPolygon' && g.coordinates.length === 1) return canonicalGeometry({ type: 'Polygon', coordinates: g.coordinates[0] });
  if (g.type === 'MultiLineString' && g.coordinates.length === 1) return canonicalGeometry({ type: 'LineString', coordinates: g.coordinates[0] });
  return { type: g.type, coordinates: roundDeep(g.coordinates) } as Geometry;
}

function roundDeep(c: unknown): unknown {
  if (typeof c === 'number') return Math.round(c * ROUND) / ROUND;
  return (c as unknown[]).map(roundDeep);
}

export function fingerprint<T extends { geometry: Geometry }>(codec: LayerCodec<T>, feature: T): string {
  return fingerprintOf(fingerprintText(codec, feature));
}

/** The canonical text a fingerprint hashes; its length also measures the feature (import.ts memory budget). */
export function fingerprintText<T extends { geometry: Geometry }>(codec: LayerCodec<T>, feature: T): string {
  return JSON.stringify([Object.values(codec.toRow(feature)), canonicalGeometry(feature.geometry)]);
}

export function fingerprintOf(text: string): string {
  // One-shot hash (Node ≥ 20.12): half the cost of createHash().update().digest() per feature.
  return hash('sha1', text, 'base64');
}
