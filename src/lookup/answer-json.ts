import type { CityIndex } from '../index/city-index.js';
import type { Territory } from '../index/territory.js';
import type { ZoneRef } from '../index/zone-index.js';

/**
 * Lookup answers written straight to JSON text, for the routes that answer many points (the single
 * lookup at high request rates, the batch at 100,000 points a request).
 *
 * Every point of a grid has the same territory, so a grid's part of the answer — grid, community,
 * street, district, ~250 bytes of codes and names — is serialised once, on first use, and reused; a
 * zone's likewise. A point then costs a grid lookup, the zone test and a few string joins, instead
 * of an answer object and its serialisation. The text carries the same fields in the same order as
 * `lookupPoint`'s result (the routes' response schemas), so clients see no difference.
 *
 * One instance per CityIndex: the cached text belongs to one data version.
 */
export class LookupJson {
  /** `"grid":…,"community":…,"street":…,"district":…` of grid g, once asked for. */
  private readonly gridText: Array<string | undefined>;
  /** The same followed by `,"zones":[]`: the whole answer of a point in grid g outside every zone. */
  private readonly gridPlace: Array<string | undefined>;
  private readonly zoneText = new Map<ZoneRef, string>();
  /** UTF-8 of place texts, for answers written as bytes; bounded, since in-zone texts are made per call. */
  private readonly placeUtf8 = new Map<string, Buffer>();

  constructor(private readonly index: CityIndex) {
    const grids = index.territory.gridRefs.length;
    this.gridText = new Array<string | undefined>(grids);
    this.gridPlace = new Array<string | undefined>(grids);
  }

  get dataVersion(): number {
    return this.index.dataVersion;
  }

  /**
   * `"grid":…,"community":…,"street":…,"district":…,"zones":[…]` for a CGCS2000 point (no braces, so
   * callers add their own fields around it), or null when the point is outside the managed area.
   * Points of one grid outside every zone get the very same string object, so a Map keyed by it
   * hashes it once (the compact batch counts distinct answers that way).
   */
  placeFields(lon: number, lat: number): string | null {
    const { territory, zones } = this.index;
    const g = territory.gridAt(lon, lat);
    const inZones = zones.containing(lon, lat);
    if (g >= 0) {
      const text = (this.gridText[g] ??= territoryFields(territory.gridTerritory(g)));
      if (inZones.length === 0) return (this.gridPlace[g] ??= `${text},"zones":[]`);
      return `${text},"zones":${this.zonesText(inZones)}`;
    }
    const t = territory.locate(lon, lat);
    return t ? `${territoryFields(t)},"zones":${this.zonesText(inZones)}` : null;
  }

  /**
   * A place text (from placeFields) as UTF-8, kept for the next request: a batch of 100,000 points over
   * 25,000 grids would otherwise encode each grid's answer again per request.
   */
  placeBytes(place: string): Buffer {
    let bytes = this.placeUtf8.get(place);
    if (bytes === undefined) {
      bytes = Buffer.from(place);
      if (this.placeUtf8.size < 2 * this.gridPlace.length + 1000) this.placeUtf8.set(place, bytes);
    }
    return bytes;
  }

  private zonesText(zones: readonly ZoneRef[]): string {
    if (zones.length === 0) return '[]';
    let text = '[';
    for (let i = 0; i < zones.length; i++) {
      const z = zones[i];
      let one = this.zoneText.get(z);
      if (one === undefined) this.zoneText.set(z, (one = zoneJson(z)));
      text += i === 0 ? one : `,${one}`;
    }
    return `${text}]`;
  }
}

function territoryFields(t: Territory): string {
  return `"grid":${areaJson(t.grid)},"community":${areaJson(t.community)},"street":${areaJson(t.street)},"district":${areaJson(t.district)}`;
}

function areaJson(a: { code: string; name: string } | null): string {
  return a ? `{"code":${JSON.stringify(a.code)},"name":${JSON.stringify(a.name)}}` : 'null';
}

/** A zone as the ZoneRef response schema lists it: only these fields, in this order. */
function zoneJson(z: ZoneRef): string {
  const { id, name, kind, responsibleUnit, classes } = z;
  return JSON.stringify({ id, name, kind, responsibleUnit, classes });
}

/** A number as JSON writes it (finite numbers only reach here: inputs are validated). */
export function numberJson(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** A LookupJson per CityIndex, made on first use; an index's entry goes when the index is swapped out. */
export function lookupJsonCache(): (index: CityIndex) => LookupJson {
  const cache = new WeakMap<CityIndex, LookupJson>();
  return (index) => {
    let json = cache.get(index);
    if (!json) cache.set(index, (json = new LookupJson(index)));
    return json;
  };
}
