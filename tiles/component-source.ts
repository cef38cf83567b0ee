import type { Component } from '../src/domain/types.js';
import { TileLayerIndex } from './layer-index.js';
import { hashRanks, indexedLayer, type FeatureFilter } from './indexed-layer.js';
import { clusterLayer, MAJORS, OTHER_MAJOR } from './clusters.js';
import { LayeredSource, type TileFilters, type TileSource } from './source.js';
import type { TileLimits } from './budget.js';
import { TileError } from './errors.js';
import { boundsOf } from './mercator.js';

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
  const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = TileLayerIndex.build(sorted.map((c) => c.geometry));
  const attrs = new ComponentAttributes(sorted);
  const clusterZoom = o.clusterZoom ?? 16;
  const compileFilter = (filters: TileFilters) => attrs.compile(filters);
  return new LayeredSource({
    id: 'components', name: '城市部件', description: 'Urban components (部件), clustered below z' + clusterZoom,
    attribution: o.attribution, dataVersion: o.dataVersion, limits: o.limits,
    bounds: index.size ? boundsOf(...index.extent()!) : [-180, -85.0511, 180, 85.0511],
    filterNames: [...COMPONENT_FILTERS], checkFilters: (f) => attrs.compile(f),
    layers: [
      clusterLayer({
        info: {
          id: 'component_clusters', description: 'Components per cell: total and by major class',
          fields: { count: 'Number', ...Object.fromEntries(MAJORS.map((m) => [`count_${m}`, 'Number' as const])) },
          minzoom: 10, maxzoom: clusterZoom - 1,
        },
        index, majorSlot: attrs.majorSlot, compileFilter, cells: o.clusterCells ?? 64,
      }),
      indexedLayer({
        info: {
          id: 'components', description: 'Components with class, state and responsible units',
          fields: {
            id: 'String', typeCode: 'String', major: 'String', name: 'String', state: 'String', owner: 'String', maintainer: 'String',
          },
          minzoom: clusterZoom, maxzoom: 18,
        },
        index, compileFilter, rank: hashRanks(sorted.map((c) => c.id)), properties: (i) => attrs.properties(i),
      }),
    ],
  });
}

/** Side arrays indexed like the TileLayerIndex, and the filter compiler over them. */
class ComponentAttributes {
  readonly majorSlot: Uint8Array;
  private readonly rows: readonly Component[];
  private readonly typeCodes: string[];

  constructor(rows: readonly Component[]) {
    this.rows = rows;
    this.typeCodes = rows.map((c) => c.major + c.minor);
    this.majorSlot = Uint8Array.from(rows, (c) => {
      const k = MAJORS.indexOf(c.major as (typeof MAJORS)[number]);
      return k < 0 ? OTHER_MAJOR : k;
    });
  }

  properties(i: number) {
    const c = this.rows[i];
    return {
      id: c.id, typeCode: this.typeCodes[i], major: c.major, name: c.name, state: c.state,
      owner: c.ownerUnit, maintainer: c.maintainerUnit,
    };
  }

  /** Validates and compiles the filters; null when there are none. Throws WANMI_TILE_FILTER. */
  compile(filters: TileFilters): FeatureFilter | null {
    const tests: FeatureFilter[] = [];
    if (filters.class !== undefined) {
      const codes = listOf('class', filters.class, /^\d{2}(\d{2,3})?$/, '2-digit major class or 4–5-digit type code');
      tests.push((i) => codes.some((code) => (code.length === 2 ? this.rows[i].major === code : this.typeCodes[i] === code)));
    }
    if (filters.owner !== undefined) {
      const owners = new Set(listOf('owner', filters.owner, /^[0-9A-Za-z]{1,32}$/, 'unit code'));
      tests.push((i) => owners.has(this.rows[i].ownerUnit ?? ''));
    }
    if (filters.state !== undefined) {
      const states = new Set(listOf('state', filters.state, /^[^\s,]{1,16}$/u, 'state name'));
      tests.push((i) => states.has(this.rows[i].state));
    }
    return tests.length === 0 ? null : (i) => tests.every((t) => t(i));
  }
}

/** A comma-separated filter value, each item checked against its form. */
function listOf(name: string, value: string, form: RegExp, what: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  const bad = items.find((s) => !form.test(s));
  if (items.length > 50 || bad !== undefined) {
    throw new TileError('WANMI_TILE_FILTER', name, `${name} must be a comma-separated list (≤ 50) of ${what}, got "${bad ?? value}"`);
  }
  return items;
}
