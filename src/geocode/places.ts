import type { Address, AdminArea, Zone } from '../domain/types.js';
import { normaliseName } from './normalise.js';

/**
 * 兴趣点 / 标志物 (GB/T 30428.3 §3.9): named buildings, units, facilities and landmarks. Wanmi takes
 * them from the city's own layers: the building names on house-number points (望江大厦 at 望江路108号)
 * and the responsibility zones (parks, scenic areas, development zones). A geocoder built for another
 * source is given its places directly.
 */
export interface Place {
  id: string;
  name: string;
  kind: string;
  lon: number;
  lat: number;
  /** The road of the house number a building stands at (normalised), to tell apart buildings of the same name. */
  road?: string;
}

export function placesFromLayers(addresses: readonly Address[], zones: readonly Zone[]): Place[] {
  const out: Place[] = [];
  for (const a of addresses) {
    if (!a.building) continue;
    const [lon, lat] = a.geometry.coordinates;
    out.push({ id: a.id, name: a.building, kind: 'building', lon, lat, road: normaliseName(a.roadName) });
  }
  for (const z of zones) {
    const [lon, lat] = insidePoint(z.geometry);
    out.push({ id: z.id, name: z.name, kind: z.kind, lon, lat });
  }
  return out;
}

/**
 * A point inside an area (admin area or zone), to stand for it in results: the middle of the longest
 * inside stretch of five horizontal scanlines (holes are gaps), as the tile label points do.
 */
export function insidePoint(geometry: AdminArea['geometry']): [number, number] {
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  let minY = Infinity;
  let maxY = -Infinity;
  for (const ring of rings) for (const [, y] of ring) [minY, maxY] = [Math.min(minY, y), Math.max(maxY, y)];
  let best: [number, number] = rings[0][0];
  let bestLength = -1;
  for (let k = 1; k <= 5; k++) {
    const y = minY + ((maxY - minY) * k) / 6;
    const xs = crossings(rings, y);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      if (xs[i + 1] - xs[i] > bestLength) [bestLength, best] = [xs[i + 1] - xs[i], [(xs[i] + xs[i + 1]) / 2, y]];
    }
  }
  return best;
}

function crossings(rings: ReadonlyArray<ReadonlyArray<readonly number[]>>, y: number): number[] {
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[j];
      if (ay > y !== by > y) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
    }
  }
  return xs.sort((a, b) => a - b);
}
