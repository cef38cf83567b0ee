import type { Component } from '../src/domain/types.js';
import type { FeatureFilter } from './indexed-layer.js';
import { clusterLayer, MAJORS } from './clusters.js';
import { LayeredSource, type TileFilters, type TileSource } from './source.js';
import type { TileLimits } from './budget.js';
import { TileError } from './errors.js';
import { boundsOf } from './mercator.js';
import { ComponentFeatures, SHARED_KEYS } from './component-features.js';
import { componentLayer } from './component-layer.js';

export interface ComponentSourceOptions {
  dataVersion: number;
  attribution: string;
  /** First zoom with individual components; below it, clusters (default 16). */
  clusterZoom?: number;
  /** Cells per tile side for clusters (default 64). */
  clusterCells?: number;
  limits?: TileLimits;
}

export const COMPONENT_FILTERS = ['class', 'owner', 'state'] as const;

/**
 * The `components` source: `component_clusters` (points with count, count_01 … count_06) from z10 to
 * clusterZoom − 1, then `components` (every component, its own geometry) from clusterZoom. Both honour
 * the filters class (major 2 digits or type code 4–5 digits), owner (unit code) and state, each a
 * comma-separated list: OR within a filter, AND across filters. Over the caps, components are thinned by
 * a hash of their id, the same at every request.
 */
export function buildComponentSource(rows: readonly Component[], o: ComponentSourceOptions): TileSource {
  const features = new ComponentFeatures(rows);
  const clusterZoom = o.clusterZoom ?? 16;
  const compileFilter = (filters: TileFilters) => compile(features, filters);
  const extent = features.extent();
  return new LayeredSource({
    id: 'components', name: '城市部件', description: 'Urban components (部件), clustered below z' + clusterZoom,
    attribution: o.attribution, dataVersion: o.dataVersion, limits: o.limits,
    bounds: extent ? boundsOf(...extent) : [-180, -85.0511, 180, 85.0511],
    filterNames: [...COMPONENT_FILTERS], checkFilters: compileFilter,
    layers: [
      clusterLayer({
        info: {
          id: 'component_clusters', description: 'Components per cell: total and by major class',
          fields: { count: 'Number', ...Object.fromEntries(MAJORS.map((m) => [`count_${m}`, 'Number' as const])) },
          minzoom: 10, maxzoom: clusterZoom - 1,
        },
        anchors: (minX, minY, maxX, maxY, visit) => features.anchors(minX, minY, maxX, maxY, visit),
        setOf: features.values.setOf, majorOfSet: features.majorOfSet, compileFilter, cells: o.clusterCells ?? 64,
      }),
      componentLayer({
        info: {
          id: 'components', description: 'Components with class, state and responsible units',
          fields: {
            id: 'String', typeCode: 'String', major: 'String', name: 'String', state: 'String', owner: 'String', maintainer: 'String',
          },
          minzoom: clusterZoom, maxzoom: 18,
        },
        features, compileFilter,
      }),
    ],
  });
}

/**
 * Validates and compiles the filters into a test on feature numbers; null when there are none. Throws
 * WANMI_TILE_FILTER. The filters name attributes of the interned sets, so each set is tested once and a
 * feature's test is a lookup of its set.
 */
function compile(features: ComponentFeatures, filters: TileFilters): FeatureFilter | null {
  const tests: Array<(value: (k: number) => unknown) => boolean> = [];
  if (filters.class !== undefined) {
    const codes = listOf('class', filters.class, /^\d{2}(\d{2,3})?$/, '2-digit major class or 4–5-digit type code');
    const majors = new Set(codes.filter((code) => code.length === 2));
    const types = new Set(codes.filter((code) => code.length > 2));
    tests.push((value) => majors.has(value(MAJOR) as string) || types.has(value(TYPE_CODE) as string));
  }
  if (filters.owner !== undefined) {
    const owners = new Set(listOf('owner', filters.owner, /^[0-9A-Za-z]{1,32}$/, 'unit code'));
    tests.push((value) => owners.has((value(OWNER) ?? '') as string));
  }
  if (filters.state !== undefined) {
    const states = new Set(listOf('state', filters.state, /^[^\s,]{1,16}$/u, 'state name'));
    tests.push((value) => states.has(value(STATE) as string));
  }
  if (tests.length === 0) return null;
  const sets = features.values;
  const accepted = new Uint8Array(sets.setCount);
  for (let s = 0; s < sets.setCount; s++) {
    const value = (k: number) => {
      const v = sets.valueId(s, k);
      return v < 0 ? null : sets.values[v];
    };
    accepted[s] = tests.every((t) => t(value)) ? 1 : 0;
  }
  const setOf = sets.setOf;
  return (f) => accepted[setOf[f]] === 1;
}

/** Positions of the filtered attributes in SHARED_KEYS. */
const TYPE_CODE = SHARED_KEYS.indexOf('typeCode');
const MAJOR = SHARED_KEYS.indexOf('major');
const STATE = SHARED_KEYS.indexOf('state');
const OWNER = SHARED_KEYS.indexOf('owner');

/** A comma-separated filter value, each item checked against its form. */
function listOf(name: string, value: string, form: RegExp, what: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  const bad = items.find((s) => !form.test(s));
  if (items.length > 50 || bad !== undefined) {
    throw new TileError('WANMI_TILE_FILTER', name, `${name} must be a comma-separated list (≤ 50) of ${what}, got "${bad ?? value}"`);
  }
  return items;
}
