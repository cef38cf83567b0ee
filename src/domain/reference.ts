import type { ClassDictionary } from './classes.js';
import {
  CODE_PROBLEMS,
  parseAdminCode,
  parseComponentId,
  parseGridCode,
  type AdminCodeParts,
  type ComponentIdOptions,
  type ComponentIdParts,
  type GridCodeOptions,
  type GridCodeParts,
  type Problem,
} from './codes.js';
import type { Gazetteer } from './gazetteer.js';
import type { ClassEntry } from './types.js';

/**
 * Semantic checks: does a well-formed code name a county, street and community in the dated gazetteer,
 * and a class in the class dictionary? Format is checked first (codes.ts); a format problem stops the
 * check. Reference problems carry a severity, because some absences are legitimate (see below).
 */

export type Severity = 'error' | 'warning';

/** Stable problem codes of the reference checks; never renamed or reused. */
export const REFERENCE_PROBLEMS = {
  ADMIN_UNKNOWN_COUNTY: 'ADMIN_UNKNOWN_COUNTY',
  ADMIN_UNKNOWN_STREET: 'ADMIN_UNKNOWN_STREET',
  ADMIN_UNKNOWN_COMMUNITY: 'ADMIN_UNKNOWN_COMMUNITY',
  COMPONENT_UNKNOWN_CLASS: 'COMPONENT_UNKNOWN_CLASS',
} as const;

export type ReferenceProblemCode = (typeof REFERENCE_PROBLEMS)[keyof typeof REFERENCE_PROBLEMS];

/** Every problem code Wanmi's code checks can return (format and reference). */
export const PROBLEM_CODES = { ...CODE_PROBLEMS, ...REFERENCE_PROBLEMS } as const;

export type ProblemCode = (typeof PROBLEM_CODES)[keyof typeof PROBLEM_CODES];

/**
 * Unknown communities are only warnings: merged or virtual communities are coded from 601 up (CJ/T 349)
 * and a city's 民政 list differs from the statistics list, so absence is not proof of a bad code.
 * Format problems are always errors.
 */
export const DEFAULT_SEVERITY: Readonly<Record<ReferenceProblemCode, Severity>> = {
  ADMIN_UNKNOWN_COUNTY: 'error',
  ADMIN_UNKNOWN_STREET: 'error',
  ADMIN_UNKNOWN_COMMUNITY: 'warning',
  COMPONENT_UNKNOWN_CLASS: 'error',
};

export interface ReferenceProblem extends Problem<ProblemCode> {
  severity: Severity;
}

export interface ReferenceReport<T> {
  /** False when any problem is an error; warnings alone leave it true. */
  ok: boolean;
  /** The parsed code; null when its format is bad. */
  value: T | null;
  problems: ReferenceProblem[];
  /** The dated gazetteer the codes were checked against, to report with the result. */
  source: string;
}

export interface ReferenceOptions {
  /** Per-code severity overrides, e.g. a city whose street list is newer than the gazetteer. */
  severity?: Partial<Record<ReferenceProblemCode, Severity>>;
}

/** The part of the gazetteer these checks need; tests and cities can pass their own list. */
export type AdminLookup = Pick<Gazetteer, 'source' | 'county' | 'street' | 'community'>;

export type ComponentReference = ComponentIdParts & { classEntry: ClassEntry | undefined };

function report<T>(source: string, value: T | null, problems: ReferenceProblem[]): ReferenceReport<T> {
  return { ok: problems.every((p) => p.severity !== 'error'), value, problems, source };
}

/** A format problem ends the check: nothing to look up in a code that does not parse. */
function rejected(source: string, formatProblem: Problem): ReferenceReport<never> {
  return report<never>(source, null, [{ ...formatProblem, severity: 'error' }]);
}

function problem(code: ReferenceProblemCode, field: string, message: string, options: ReferenceOptions): ReferenceProblem {
  return { code, field, message, severity: options.severity?.[code] ?? DEFAULT_SEVERITY[code] };
}

type AdminPrefix = Pick<AdminCodeParts, 'countyCode' | 'streetCode' | 'communityCode'>;

/**
 * Look the levels up from the top and stop at the first missing one: an unknown county makes every
 * street below it unknown too, and one problem that names the real cause is more useful than three.
 */
function adminProblems(parts: AdminPrefix, gazetteer: AdminLookup, options: ReferenceOptions): ReferenceProblem[] {
  const { countyCode, streetCode, communityCode } = parts;
  const src = gazetteer.source;
  if (!gazetteer.county(countyCode)) {
    return [problem('ADMIN_UNKNOWN_COUNTY', 'countyCode', `County code ${countyCode} is not in ${src}.`, options)];
  }
  if (streetCode && !gazetteer.street(streetCode)) {
    return [problem('ADMIN_UNKNOWN_STREET', 'streetCode', `Street/township code ${streetCode} is not in ${src}.`, options)];
  }
  if (communityCode && !gazetteer.community(communityCode)) {
    const message = `Community code ${communityCode} is not in ${src}; merged or virtual communities (601 and up) and a city's own 民政 list can legitimately differ.`;
    return [problem('ADMIN_UNKNOWN_COMMUNITY', 'communityCode', message, options)];
  }
  return [];
}

/**
 * Check a 6/9/12-digit admin code: 1. format (parseAdminCode); 2. county exists; 3. street exists
 * (9/12 digits); 4. community exists (12 digits, warning by default).
 */
export function checkAdminPrefix(
  code: unknown,
  gazetteer: AdminLookup,
  options: ReferenceOptions = {},
): ReferenceReport<AdminCodeParts> {
  const parsed = parseAdminCode(code);
  if (!parsed.ok) return rejected(gazetteer.source, parsed.problem);
  return report(gazetteer.source, parsed.value, adminProblems(parsed.value, gazetteer, options));
}

/** Check a grid code: 1. format (parseGridCode); 2. its county, street and community as in checkAdminPrefix. */
export function checkGridCodeReference(
  code: unknown,
  gazetteer: AdminLookup,
  options: GridCodeOptions & ReferenceOptions = {},
): ReferenceReport<GridCodeParts> {
  const parsed = parseGridCode(code, options);
  if (!parsed.ok) return rejected(gazetteer.source, parsed.problem);
  return report(gazetteer.source, parsed.value, adminProblems(parsed.value, gazetteer, options));
}

/**
 * Check a component id: 1. format (parseComponentId); 2. county exists; 3. (major, minor) is a
 * *component* class in the dictionary. Steps 2 and 3 are independent, so both can be reported.
 * A 17-digit id needs a dictionary with 3-digit minor classes: no mapping from 2-digit classes is assumed.
 */
export function checkComponentIdReference(
  id: unknown,
  gazetteer: AdminLookup,
  dictionary: Pick<ClassDictionary, 'get'>,
  options: ComponentIdOptions & ReferenceOptions = {},
): ReferenceReport<ComponentReference> {
  const parsed = parseComponentId(id, options);
  if (!parsed.ok) return rejected(gazetteer.source, parsed.problem);
  const parts = parsed.value;
  const problems = adminProblems({ countyCode: parts.countyCode, streetCode: null, communityCode: null }, gazetteer, options);
  const classEntry = dictionary.get('component', parts.typeCode);
  if (!classEntry) {
    const message = `Component class (部件小类) ${parts.typeCode} is not in the class dictionary.`;
    problems.push(problem('COMPONENT_UNKNOWN_CLASS', 'typeCode', message, options));
  }
  return report(gazetteer.source, { ...parts, classEntry }, problems);
}
