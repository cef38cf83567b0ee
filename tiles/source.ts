import Pbf from 'pbf';
import type { LayerCut } from './mvt-writer.js';
import { tileFrame, validateTile, type TileFrame } from './mercator.js';
import { DEFAULT_LIMITS, encodeWithinLimits, type RenderedTile, type TileLimits } from './budget.js';
import { TileError } from './errors.js';

/** Attribute types as TileJSON's vector_layers name them. */
export type FieldType = 'String' | 'Number' | 'Boolean';

/** One layer of a source, as TileJSON 3.0.0 `vector_layers` describes it. */
export interface VectorLayerInfo {
  id: string;
  description: string;
  fields: Readonly<Record<string, FieldType>>;
  minzoom: number;
  maxzoom: number;
}

/** Request filters by name (e.g. class=01, owner=…); every value a string, as it came in the query. */
export type TileFilters = Readonly<Record<string, string>>;

export interface TileQuery {
  filters?: TileFilters;
}

/**
 * A tile source the martin way: a name, layers with typed fields, a zoom range and bounds, and tiles
 * cut on demand from in-memory indexes. Immutable; one per data version.
 */
export interface TileSource {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attribution: string;
  readonly dataVersion: number;
  readonly minzoom: number;
  readonly maxzoom: number;
  /** [west, south, east, north] in degrees. */
  readonly bounds: readonly [number, number, number, number];
  readonly layers: readonly VectorLayerInfo[];
  /** Names of the filters the source accepts (others are WANMI_TILE_FILTER). */
  readonly filterNames: readonly string[];
  /** The tile's bytes, or null for an empty tile. Throws TileError for a bad address or filter. */
  getTile(z: number, x: number, y: number, query?: TileQuery): Uint8Array | null;
  /** The same with an ETag and the cap report. */
  renderTile(z: number, x: number, y: number, query?: TileQuery): RenderedTile | null;
}

/** Cuts one layer's features for one tile, best first once ranked (the caps keep a prefix). */
export interface LayerRenderer {
  readonly info: VectorLayerInfo;
  render(frame: TileFrame, filters: TileFilters): LayerCut;
}

export interface LayeredSourceSpec {
  id: string;
  name: string;
  description: string;
  attribution: string;
  dataVersion: number;
  bounds: [number, number, number, number];
  layers: LayerRenderer[];
  filterNames?: string[];
  /** Checks filter values (names are checked already); throws WANMI_TILE_FILTER. */
  checkFilters?: (filters: TileFilters) => void;
  limits?: TileLimits;
}

/**
 * A source made of layer renderers. A layer is cut when minzoom ≤ z ≤ maxzoom; a layer that reaches the
 * source's maxzoom is also cut above it (requests up to z22 are valid: deep zooms get full detail).
 */
export class LayeredSource implements TileSource {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attribution: string;
  readonly dataVersion: number;
  readonly minzoom: number;
  readonly maxzoom: number;
  readonly bounds: readonly [number, number, number, number];
  readonly layers: readonly VectorLayerInfo[];
  readonly filterNames: readonly string[];
  private readonly renderers: LayerRenderer[];
  private readonly limits: TileLimits;
  private readonly checkFilters?: (filters: TileFilters) => void;
  /** Where this source's tiles are assembled (rendering is synchronous: one tile at a time). */
  private readonly buffer = new Pbf(new Uint8Array(16 * 1024));

  constructor(spec: LayeredSourceSpec) {
    this.id = spec.id;
    this.name = spec.name;
    this.description = spec.description;
    this.attribution = spec.attribution;
    this.dataVersion = spec.dataVersion;
    this.bounds = spec.bounds;
    this.renderers = spec.layers;
    this.layers = spec.layers.map((l) => l.info);
    this.minzoom = Math.min(...this.layers.map((l) => l.minzoom));
    this.maxzoom = Math.max(...this.layers.map((l) => l.maxzoom));
    this.filterNames = spec.filterNames ?? [];
    this.checkFilters = spec.checkFilters;
    this.limits = spec.limits ?? DEFAULT_LIMITS;
  }

  getTile(z: number, x: number, y: number, query: TileQuery = {}): Uint8Array | null {
    return this.renderTile(z, x, y, query)?.data ?? null;
  }

  renderTile(z: number, x: number, y: number, query: TileQuery = {}): RenderedTile | null {
    validateTile(z, x, y);
    const filters = query.filters ?? {};
    this.validateFilters(filters);
    const frame = tileFrame(z, x, y);
    const layers = this.renderers
      .filter(({ info }) => z >= info.minzoom && (z <= info.maxzoom || info.maxzoom >= this.maxzoom))
      .map((r) => r.render(frame, filters));
    return encodeWithinLimits(layers, this.limits, this.buffer);
  }

  private validateFilters(filters: TileFilters): void {
    for (const name of Object.keys(filters)) {
      if (!this.filterNames.includes(name)) {
        const accepted = this.filterNames.length ? this.filterNames.join(', ') : 'none';
        throw new TileError('WANMI_TILE_FILTER', name, `source ${this.id} has no filter ${name} (accepted: ${accepted})`);
      }
    }
    this.checkFilters?.(filters);
  }
}
