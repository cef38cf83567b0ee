import { readFile } from 'node:fs/promises';
import { ImportError } from './errors.js';
import { squash, targetsOf, TARGETS, type MappableLayer, type TargetField } from './field-aliases.js';
import { convert, type Converted } from './field-values.js';
import { ROW_BUILDERS, type MappedRowValue, type RowContext } from './layer-rows.js';
import { recordMaker, type RecordMaker } from './record-shape.js';
import type { RawRecord } from './types.js';

export type { MappableLayer } from './field-aliases.js';
export type { Mapped, MappedRowValue } from './layer-rows.js';

/**
 * Field mapping: which source field feeds which field of a row type. Keys are "<layer> <field>", values the
 * source field name, or null to stop a field being filled automatically:
 *   { "components id": "部件编号", "components name": null, "grids code": "WGBM" }
 */
export type FieldMapping = Record<string, string | null>;

export const MAPPING_PROBLEMS = {
  /** A field the row type needs (a component id, a grid code…) is missing or blank. */
  MAP_REQUIRED_MISSING: 'MAP_REQUIRED_MISSING',
  /** A date field holds something that is not a calendar date. */
  MAP_BAD_DATE: 'MAP_BAD_DATE',
  /** A numeric field holds something that is not a number. */
  MAP_BAD_NUMBER: 'MAP_BAD_NUMBER',
  /** The component id is not 16/17 digits, so major/minor class cannot be read from it. */
  MAP_CLASS_FROM_ID: 'MAP_CLASS_FROM_ID',
  /** An admin code is not 6, 9 or 12 digits, so its level is unknown. */
  MAP_ADMIN_LEVEL: 'MAP_ADMIN_LEVEL',
} as const;

export type MappingProblemCode = (typeof MAPPING_PROBLEMS)[keyof typeof MAPPING_PROBLEMS];

export interface MappingProblem {
  code: MappingProblemCode;
  /** The target field (e.g. initialDate). */
  field: string;
  /** The source field it came from, when there was one. */
  source?: string;
  message: string;
}

export interface MappedRow<L extends MappableLayer> {
  row: number;
  value: MappedRowValue<L>;
  problems: MappingProblem[];
}

/** Which source field fills each target (null: none), and the source fields nothing took. */
export interface Resolution {
  columns: Record<string, string | null>;
  unmapped: string[];
}

const badMapping = (message: string) => new ImportError('IMPORT_BAD_MAPPING', message, { field: 'mapping' });

/** Check a mapping object: every key "<layer> <field>" names a known layer and target field. */
export function checkMapping(mapping: unknown): FieldMapping {
  if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping)) throw badMapping('The field mapping must be a JSON object.');
  for (const [key, value] of Object.entries(mapping)) {
    const [layer, field, ...rest] = key.trim().split(/\s+/);
    if (rest.length > 0 || !field || !(layer in TARGETS) || !(field in targetsOf(layer as MappableLayer))) {
      throw badMapping(`Mapping key ${JSON.stringify(key)} is not "<layer> <field>" with a known layer (${Object.keys(TARGETS).join(', ')}) and field.`);
    }
    if (value !== null && typeof value !== 'string') throw badMapping(`Mapping ${JSON.stringify(key)} must name a source field (a string) or be null.`);
  }
  return mapping as FieldMapping;
}

export async function loadMapping(file: string): Promise<FieldMapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ImportError('IMPORT_NOT_FOUND', `The mapping file ${file} cannot be read.`, { file }, { cause });
  }
  try {
    return checkMapping(JSON.parse(text.replace(/^\uFEFF/, '')));
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError('IMPORT_BAD_MAPPING', `The mapping file ${file} is not valid JSON.`, { file }, { cause: err });
  }
}

/**
 * Decide which field feeds each target: 1. an explicit mapping entry (its source must exist when
 * `strict`); 2. else the first alias (field-aliases.ts) present among the fields, case- and
 * separator-insensitively; a source field feeds at most one target. The rest are `unmapped`.
 */
export function resolveMapping(layer: MappableLayer, fields: readonly string[], mapping: FieldMapping = {}, strict = true): Resolution {
  const used = new Set<string>();
  const columns: Record<string, string | null> = {};
  const squashed = fields.map((f) => [f, squash(f)] as const);
  for (const [target, spec] of Object.entries(targetsOf(layer))) {
    const key = `${layer} ${target}`;
    if (key in mapping) {
      const wanted = mapping[key];
      const found = wanted === null ? null : fields.find((f) => f === wanted) ?? fields.find((f) => f.toLowerCase() === wanted.toLowerCase()) ?? null;
      if (wanted !== null && !found && strict) {
        throw badMapping(`Mapping ${JSON.stringify(key)} names ${JSON.stringify(wanted)}, which is not a field of the source.`);
      }
      columns[target] = found;
    } else {
      const match = (alias: string | RegExp) => squashed.find(([f, s]) => !used.has(f) && (typeof alias === 'string' ? s === alias : alias.test(s)));
      columns[target] = spec.aliases.map(match).find(Boolean)?.[0] ?? null;
    }
    if (columns[target]) used.add(columns[target]!);
  }
  return { columns, unmapped: fields.filter((f) => !used.has(f)) };
}

export interface MappingReport {
  /** Per target, the source fields that fed it (several when GeoJSON features differ). */
  columns: Record<string, string[]>;
  /** Source fields no target took: kept in `extra` for components, listed here for every layer. */
  unmapped: string[];
  problems: Partial<Record<MappingProblemCode, number>>;
}

export interface MappedRecords<L extends MappableLayer> {
  rows: AsyncIterable<MappedRow<L>>;
  /** Totals so far; complete once `rows` has been read to the end. */
  report(): MappingReport;
}

/**
 * Map raw records to a layer's row type. With `fields` (Source.fields) the mapping is resolved once and
 * strictly; without, it is resolved per distinct set of property names (GeoJSON features may differ).
 */
export function mapRecords<L extends MappableLayer>(
  layer: L,
  records: AsyncIterable<RawRecord>,
  mapping: FieldMapping = {},
  options: { fields?: readonly string[] } = {},
): MappedRecords<L> {
  checkMapping(mapping);
  const fixed = options.fields ? resolveMapping(layer, options.fields, mapping) : null;
  const cache = new Map<string, Resolution>();
  const columns: Record<string, Set<string>> = {};
  const unmapped = new Set<string>();
  const problems: MappingReport['problems'] = {};
  const resolve = (props: Record<string, unknown>) => {
    if (fixed) return fixed;
    const keys = Object.keys(props);
    const id = keys.join('\u0000');
    if (!cache.has(id)) cache.set(id, resolveMapping(layer, keys, mapping, false));
    return cache.get(id)!;
  };
  const targets = Object.entries(targetsOf(layer));
  const memo: MapMemo = { plans: new Map(), dates: new Map() };
  async function* rows(): AsyncGenerator<MappedRow<L>> {
    let last: Resolution | null = null;
    for await (const rec of records) {
      const resolution = resolve(rec.properties);
      if (resolution !== last) {
        for (const [t, f] of Object.entries(resolution.columns)) if (f) (columns[t] ??= new Set()).add(f);
        for (const f of resolution.unmapped) unmapped.add(f);
        last = resolution;
      }
      const mapped = mapOne(layer, targets, rec, resolution, memo);
      for (const p of mapped.problems) problems[p.code] = (problems[p.code] ?? 0) + 1;
      yield mapped;
    }
  }
  return {
    rows: { [Symbol.asyncIterator]: rows },
    report: () => ({
      columns: Object.fromEntries(Object.entries(columns).map(([t, s]) => [t, [...s]])),
      unmapped: [...unmapped],
      problems: { ...problems },
    }),
  };
}

/** How one resolution maps a record: the objects it makes have one shape each (record-shape.ts). */
interface MapPlan {
  /** Source field per target (targets in their order), null when none. */
  sources: Array<string | null>;
  makeValues: RecordMaker;
  makeExtra: RecordMaker;
}

function planOf(targets: ReadonlyArray<[string, TargetField]>, resolution: Resolution): MapPlan {
  const sources = targets.map(([target]) => resolution.columns[target] ?? null);
  return { sources, makeValues: recordMaker(targets.map(([target]) => target)), makeExtra: recordMaker(resolution.unmapped) };
}

/**
 * What one mapRecords run remembers: the plan of each resolution, and dates already converted (a
 * census repeats a few thousand dates a million times; each costs ~0.7 µs to read and check).
 */
interface MapMemo {
  plans: Map<Resolution, MapPlan>;
  dates: Map<unknown, Converted>;
}

const DATES_MAX = 10_000;

function convertWith(memo: MapMemo, raw: unknown, conversion: TargetField['conversion']): Converted {
  if (conversion !== 'date' || typeof raw !== 'string') return convert(raw, conversion);
  let c = memo.dates.get(raw);
  if (!c) {
    if (memo.dates.size >= DATES_MAX) memo.dates.clear();
    c = convert(raw, conversion);
    memo.dates.set(raw, c);
  }
  return c;
}

/** One record: convert every resolved target, then let the layer's builder assemble the row. */
function mapOne<L extends MappableLayer>(
  layer: L, targets: ReadonlyArray<[string, TargetField]>, rec: RawRecord, resolution: Resolution, memo: MapMemo,
): MappedRow<L> {
  let plan = memo.plans.get(resolution);
  if (!plan) memo.plans.set(resolution, (plan = planOf(targets, resolution)));
  const props = rec.properties;
  const problems: MappingProblem[] = [];
  // Unmapped fields first, in field order; raw values of failed conversions after them.
  const unmapped = resolution.unmapped;
  const kept: unknown[] = new Array(unmapped.length);
  for (let i = 0; i < unmapped.length; i++) kept[i] = props[unmapped[i]];
  const extra = plan.makeExtra(kept);
  const converted: unknown[] = new Array(targets.length);
  for (let t = 0; t < targets.length; t++) {
    const [target, spec] = targets[t];
    const source = plan.sources[t];
    const raw = source ? props[source] : null;
    const c = convertWith(memo, raw, spec.conversion);
    if ('problem' in c) {
      problems.push({ code: c.problem, field: target, source: source!, message: `${source} = ${JSON.stringify(c.raw)} is not a valid ${spec.conversion}.` });
      if (source) extra[source] = c.raw;
      converted[t] = null;
    } else converted[t] = c.value;
    if (spec.required && converted[t] === null && !('problem' in c)) {
      const message = `The ${target} field is missing or blank${source ? ` (source field ${source})` : ''}.`;
      problems.push({ code: 'MAP_REQUIRED_MISSING', field: target, ...(source ? { source } : {}), message });
    }
  }
  const ctx: RowContext = { values: plan.makeValues(converted), extra, geometry: rec.geometry, problems };
  return { row: rec.row, value: ROW_BUILDERS[layer](ctx) as MappedRowValue<L>, problems };
}
