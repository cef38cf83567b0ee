import type { ImportLayerName, StoredFeature } from '../import-layers.js';
import { EXPORT_FIELDS, familyOf, type Family, type FieldKind } from './schema.js';

/**
 * The first pass of an export: what the layer holds, so that headers can be written before the rows —
 * feature count, geometry families, the component extras (attributes the standard does not name, kept
 * as delivered) as columns of their own, and per column the longest value, in bytes of the target
 * encoding when one is given (dBASE fields are fixed-width) and in digits for numbers.
 */
export interface Column {
  /** Output name, unique case-insensitively (shapefile tools compare names that way). */
  name: string;
  kind: FieldKind;
  /** Normalised value: text a string, a number a number, a date "YYYY-MM-DD"; null when blank. */
  value(f: StoredFeature): string | number | null;
  /** Longest text form, in bytes of the measured encoding (0 without one). */
  maxBytes: number;
  /** Numbers: widest integer part (with sign) and most decimals any value needs to stay exact. */
  intDigits: number;
  decimals: number;
}

export interface LayerSurvey {
  count: number;
  families: Map<Family, number>;
  columns: Column[];
}

/** Measures text in the output encoding's bytes. */
export type Measure = (s: string) => number;

class Stats {
  maxBytes = 0;
  intDigits = 1;
  decimals = 0;
  numeric = true;

  add(v: unknown, measure: Measure | undefined): void {
    if (v === null || v === undefined || v === '') return;
    if (typeof v === 'number' && Number.isFinite(v)) {
      this.intDigits = Math.max(this.intDigits, Math.trunc(Math.abs(v)).toFixed(0).length + (v < 0 ? 1 : 0));
      this.decimals = Math.max(this.decimals, decimalsOf(v));
    } else this.numeric = false;
    if (measure) this.maxBytes = Math.max(this.maxBytes, measure(textOf(v)));
  }
}

/** Digits after the point that String(v) shows (shortest exact form), at most 15. */
export function decimalsOf(v: number): number {
  const s = String(v);
  const e = s.indexOf('e-');
  if (e >= 0) return Math.min(15, Number(s.slice(e + 2)) + (s.slice(0, e).split('.')[1]?.length ?? 0));
  return Math.min(15, s.split('.')[1]?.length ?? 0);
}

/** Extras that are not strings or numbers (booleans, lists) are written as JSON text. */
export function textOf(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function normalised(kind: FieldKind, v: unknown): string | number | null {
  if (v === null || v === undefined || v === '') return null;
  if (kind === 'number') return typeof v === 'number' && Number.isFinite(v) ? v : null;
  return textOf(v);
}

export async function surveyLayer(features: AsyncIterable<StoredFeature>, layer: ImportLayerName, measure?: Measure): Promise<LayerSurvey> {
  const fields = EXPORT_FIELDS[layer];
  const stats = fields.map(() => new Stats());
  const extras = new Map<string, Stats>();
  const families = new Map<Family, number>();
  let count = 0;
  for await (const f of features) {
    count++;
    const family = familyOf(f.geometry);
    families.set(family, (families.get(family) ?? 0) + 1);
    fields.forEach((field, i) => stats[i].add(field.value(f), measure));
    for (const [key, v] of Object.entries((f.extra as Record<string, unknown> | undefined) ?? {})) {
      let s = extras.get(key);
      if (!s) extras.set(key, (s = new Stats()));
      s.add(v, measure);
    }
  }
  // Census names, and the names the writers give geometry and keys (CSV lon/lat/WKT, GeoPackage fid/geom).
  const taken = new Set([...fields.map((f) => f.name.toLowerCase()), 'lon', 'lat', 'wkt', 'fid', 'geom']);
  const columns: Column[] = fields.map((field, i) => ({
    name: field.name, kind: field.kind, value: (f) => normalised(field.kind, field.value(f)), ...sizes(stats[i]),
  }));
  for (const [key, s] of extras) {
    const kind: FieldKind = s.numeric ? 'number' : 'text';
    const name = unique(key, taken);
    columns.push({ name, kind, value: (f) => normalised(kind, (f.extra as Record<string, unknown>)[key]), ...sizes(s) });
  }
  return { count, families, columns };
}

function sizes(s: Stats): Pick<Column, 'maxBytes' | 'intDigits' | 'decimals'> {
  return { maxBytes: s.maxBytes, intDigits: s.intDigits, decimals: s.decimals };
}

/** `name`, or `name_2`, `name_3`… when taken (case-insensitively); the result is then taken. */
export function unique(name: string, taken: Set<string>, fit: (candidate: string, suffix: string) => string = (c, s) => c + s): string {
  let candidate = fit(name, '');
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = fit(name, `_${n}`);
  taken.add(candidate.toLowerCase());
  return candidate;
}
