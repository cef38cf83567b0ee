import { checkGridCommunity } from '../src/domain/codes.js';
import {
  checkAdminPrefix, checkComponentIdReference, checkGridCodeReference,
  type AdminLookup, type ReferenceOptions, type ReferenceProblem, type ReferenceProblemCode,
} from '../src/domain/reference.js';
import type { ClassDictionary } from '../src/domain/classes.js';
import type { ClassEntry } from '../src/domain/types.js';
import type { MappableLayer } from './field-aliases.js';
import type { MappedRowValue } from './layer-rows.js';
import type { ProblemInput, Severity } from './report.js';

/**
 * Per-row code and attribute checks (standards §8): code structure and reference (county, street,
 * community in the gazetteer; class in the dictionary), mandatory fields, states, date order. Each
 * layer has one small function; reference lookups are memoised by code, because a million components
 * name a few thousand grids and a few counties.
 */
export interface AttributeContext {
  gazetteer: AdminLookup;
  dictionary: Pick<ClassDictionary, 'get' | 'list'>;
  allowLegacy14: boolean;
  states: ReadonlySet<string>;
  /** ISO date; later dates are DATE_FUTURE. */
  today: string;
  severity: Partial<Record<string, Severity>>;
}

type Emit = (p: Omit<ProblemInput, 'row' | 'featureId'>) => void;

/** Fields mapping already complained about (a bad date is not also "missing"). */
type Flagged = ReadonlySet<string>;

export interface AttributeChecker {
  /** Returns the component's class entry (for the geometry-kind check), when it has one. */
  check(layer: MappableLayer, value: MappedRowValue<MappableLayer>, flagged: Flagged, emit: Emit): ClassEntry | undefined;
}

export function attributeChecker(ctx: AttributeContext): AttributeChecker {
  const refOptions: ReferenceOptions = { severity: ctx.severity as ReferenceOptions['severity'] };
  const memo = <T>(fn: (code: string) => T) => {
    const cache = new Map<string, T>();
    return (code: string): T => {
      const known = cache.get(code);
      if (known !== undefined || cache.has(code)) return known as T;
      const value = fn(code);
      cache.set(code, value);
      return value;
    };
  };
  // Every component id looks its county up: a million SQLite lookups of a handful of codes otherwise.
  const gazetteer: AdminLookup = {
    source: ctx.gazetteer.source,
    county: memo((c) => ctx.gazetteer.county(c) ?? null) as unknown as AdminLookup['county'],
    street: memo((c) => ctx.gazetteer.street(c) ?? null) as unknown as AdminLookup['street'],
    community: memo((c) => ctx.gazetteer.community(c) ?? null) as unknown as AdminLookup['community'],
  };
  const cached = { ...ctx, gazetteer };
  const admin = memo((code) => checkAdminPrefix(code, gazetteer, refOptions).problems);
  const grid = memo((code) => checkGridCodeReference(code, gazetteer, { ...refOptions, allowLegacy14: ctx.allowLegacy14 }).problems);
  // One context object for every row; only the row's emitter and flagged fields change.
  const out: Out = { ctx: cached, admin, grid, emit: () => undefined, flagged: new Set() };
  return {
    check(layer, value, flagged, emit) {
      out.emit = emit;
      out.flagged = flagged;
      switch (layer) {
        case 'components': return component(value as MappedRowValue<'components'>, out);
        case 'grids': return void gridRow(value as MappedRowValue<'grids'>, out);
        case 'admin_areas': return void adminRow(value as MappedRowValue<'admin_areas'>, out);
        case 'addresses': return void addressRow(value as MappedRowValue<'addresses'>, out);
        case 'roads': return void roadRow(value as MappedRowValue<'roads'>, out);
        case 'zones': return void zoneRow(value as MappedRowValue<'zones'>, out);
      }
    },
  };
}

interface Helpers {
  ctx: AttributeContext;
  admin: (code: string) => ReferenceProblem[];
  grid: (code: string) => ReferenceProblem[];
}
type Out = Helpers & { emit: Emit; flagged: Flagged };

function report(out: Out, field: string, problems: readonly ReferenceProblem[]): void {
  for (const p of problems) out.emit({ field, code: p.code, severity: p.severity as Severity, message: p.message });
}

/** Blank mandatory fields are warnings: the row still makes sense, but the standard wants them. */
function missing(out: Out, value: Record<string, unknown>, fields: readonly string[]): void {
  for (const f of fields) {
    const v = value[f];
    if ((v === null || v === '') && !out.flagged.has(f)) {
      out.emit({ field: f, code: 'ATTR_MISSING', message: `The ${f} field is blank; GB/T 30428 lists it as mandatory.` });
    }
  }
}

function required(out: Out, value: Record<string, unknown>, field: string): void {
  if (value[field] === '' && !out.flagged.has(field)) {
    out.emit({ field, code: 'ATTR_REQUIRED', message: `The ${field} field is blank; it is the feature's key.` });
  }
}

function dates(out: Out, first: string | null, firstField: string, later: string | null, laterField: string): void {
  if (first && later && later < first) {
    out.emit({ field: laterField, code: 'DATE_ORDER', message: `${laterField} ${later} is before ${firstField} ${first}.` });
  }
  if (first && first > out.ctx.today) {
    out.emit({ field: firstField, code: 'DATE_FUTURE', message: `${firstField} ${first} is in the future (today is ${out.ctx.today}).` });
  }
}

const COMPONENT_MANDATORY = ['name', 'competentUnit', 'gridCode', 'state', 'initialDate'] as const;

function component(c: MappedRowValue<'components'>, out: Out): ClassEntry | undefined {
  let classEntry: ClassEntry | undefined;
  if (c.id !== '') {
    const ref = checkComponentIdReference(c.id, out.ctx.gazetteer, out.ctx.dictionary, { severity: out.ctx.severity as Partial<Record<ReferenceProblemCode, 'error' | 'warning'>> });
    report(out, 'id', ref.problems);
    classEntry = ref.value?.classEntry;
  }
  if (c.gridCode) report(out, 'gridCode', out.grid(c.gridCode));
  missing(out, c, COMPONENT_MANDATORY);
  if (c.state && !out.ctx.states.has(c.state)) {
    out.emit({ field: 'state', code: 'COMPONENT_STATE_UNKNOWN', message: `部件状态 ${JSON.stringify(c.state)} is none of ${[...out.ctx.states].join('/')}.` });
  }
  dates(out, c.initialDate || null, 'initialDate', c.changedDate, 'changedDate');
  return classEntry;
}

function gridRow(g: MappedRowValue<'grids'>, out: Out): void {
  if (g.code !== '') {
    const problems = out.grid(g.code);
    report(out, 'code', problems);
    const formatOk = problems.every((p) => !p.code.startsWith('GRID_CODE'));
    if (formatOk && g.communityCode && g.communityCode !== g.code.slice(0, 12)) {
      const r = checkGridCommunity(g.code, g.communityCode, { allowLegacy14: out.ctx.allowLegacy14 });
      if (!r.ok) out.emit({ field: 'communityCode', code: r.problem.code, message: r.problem.message });
    }
  }
  missing(out, g, ['name', 'initialDate']);
  dates(out, g.initialDate || null, 'initialDate', g.terminationDate, 'terminationDate');
}

function adminRow(a: MappedRowValue<'admin_areas'>, out: Out): void {
  if (a.code !== '') report(out, 'code', out.admin(a.code));
}

function hierarchy(out: Out, parent: string, parentField: string, child: string, childField: string): void {
  if (parent && child && !child.startsWith(parent)) {
    out.emit({ field: childField, code: 'ADMIN_HIERARCHY_MISMATCH', message: `${childField} ${child} does not lie in ${parentField} ${parent}.` });
  }
}

function addressRow(a: MappedRowValue<'addresses'>, out: Out): void {
  required(out, a, 'id');
  for (const f of ['districtCode', 'streetCode', 'communityCode'] as const) if (a[f]) report(out, f, out.admin(a[f]));
  missing(out, a, ['districtCode', 'streetCode', 'communityCode']);
  hierarchy(out, a.districtCode, 'districtCode', a.streetCode, 'streetCode');
  hierarchy(out, a.streetCode, 'streetCode', a.communityCode, 'communityCode');
}

function roadRow(r: MappedRowValue<'roads'>, out: Out): void {
  required(out, r, 'id');
  if (r.districtCode) report(out, 'districtCode', out.admin(r.districtCode));
}

function zoneRow(z: MappedRowValue<'zones'>, out: Out): void {
  required(out, z, 'id');
  missing(out, z, ['kind', 'responsibleUnit']);
  const events = out.ctx.dictionary.list('event');
  for (const cls of z.classes) {
    const known = cls.length === 2 ? events.some((e) => e.major === cls) : out.ctx.dictionary.get('event', cls) !== undefined;
    if (!known) out.emit({ field: 'classes', code: 'ZONE_CLASS_UNKNOWN', message: `Event class ${JSON.stringify(cls)} is not in the class dictionary.` });
  }
}
