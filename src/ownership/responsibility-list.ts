import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * The city's responsibility list (责任清单): which department handles which event classes, how close a
 * component must be to count as "the" component of a report, and which zones override the territory.
 * It is data the city edits (a JSON file, stored in the store), validated when loaded; no city's
 * departments are written into the code.
 *
 * Class keys are a 4- or 5-digit type code ("0402") or a 2-digit major class ("03" = every 施工管理 event);
 * the most specific key wins.
 */
const ClassKey = Type.String({ pattern: '^(\\d{2}|\\d{4,5})$' });

export const ResponsibilityListSchema = Type.Object({
  city: Type.String({ minLength: 1 }),
  version: Type.String({ minLength: 1 }),
  /** Metres within which a component of the reported class is taken as the reported component. */
  tolerances: Type.Object({
    default: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
    byClass: Type.Optional(Type.Record(ClassKey, Type.Number({ exclusiveMinimum: 0, maximum: 1000 }))),
    /** Candidates are ambiguous when the runner-up is within this many metres of the nearest (default 5). */
    ambiguityMargin: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  }),
  /** Event classes owned by a line department rather than the territory (e.g. 0402 burst water main). */
  eventDepartments: Type.Array(Type.Object({
    classes: Type.Array(ClassKey, { minItems: 1 }),
    unit: Type.String({ minLength: 1 }),
    note: Type.Optional(Type.String()),
  })),
  /** Which responsibility-zone kinds override the territory for events (e.g. park, development_zone). */
  zoneKinds: Type.Array(Type.String({ minLength: 1 })),
  /** Territorial level that handles events first: the street office or the community. */
  eventTerritory: Type.Union([Type.Literal('street'), Type.Literal('community')]),
}, { additionalProperties: false });

export type ResponsibilityListData = Static<typeof ResponsibilityListSchema>;

/** A problem found when loading a list, naming where it is. */
export class ResponsibilityListError extends Error {
  readonly code = 'WANMI_RESPONSIBILITY_LIST';
  constructor(readonly problems: string[]) {
    super(`invalid responsibility list: ${problems.join('; ')}`);
  }
}

/** A validated list, with lookups by class. */
export interface ResponsibilityList {
  readonly data: ResponsibilityListData;
  toleranceFor(typeCode: string): number;
  /** Metres within which a second candidate makes the identification ambiguous. */
  readonly ambiguityMargin: number;
  /** The department a class of event is assigned to, and the key that matched. */
  eventDepartment(typeCode: string): { unit: string; key: string; note?: string } | undefined;
  zoneKindOverrides(kind: string): boolean;
}

/** The list used when a city has none yet: everything territorial, 10 m tolerance. */
export const TERRITORIAL_ONLY: ResponsibilityListData = {
  city: '(none)', version: 'default', tolerances: { default: 10 }, eventDepartments: [], zoneKinds: [], eventTerritory: 'street',
};

/**
 * Validates the list's shape and that every unit it names exists (`unitExists`). Throws a
 * ResponsibilityListError listing every problem, not just the first.
 */
export function loadResponsibilityList(raw: unknown, unitExists: (code: string) => boolean): ResponsibilityList {
  const problems = [...Value.Errors(ResponsibilityListSchema, raw)].map((e) => `${e.instancePath || '/'} ${e.message}`);
  if (problems.length) throw new ResponsibilityListError(problems);
  const data = raw as ResponsibilityListData;
  const seen = new Map<string, number>();
  data.eventDepartments.forEach((d, i) => {
    if (!unitExists(d.unit)) problems.push(`/eventDepartments/${i}/unit: no unit with code ${d.unit}`);
    for (const key of d.classes) {
      if (seen.has(key)) problems.push(`/eventDepartments/${i}: class ${key} is already assigned by entry ${seen.get(key)}`);
      seen.set(key, i);
    }
  });
  if (problems.length) throw new ResponsibilityListError(problems);
  return compile(data);
}

function compile(data: ResponsibilityListData): ResponsibilityList {
  const departments = new Map<string, { unit: string; key: string; note?: string }>();
  for (const d of data.eventDepartments) {
    for (const key of d.classes) departments.set(key, { unit: d.unit, key, note: d.note });
  }
  const zoneKinds = new Set(data.zoneKinds);
  const byClass = data.tolerances.byClass ?? {};
  return {
    data,
    ambiguityMargin: data.tolerances.ambiguityMargin ?? 5,
    toleranceFor: (typeCode) => byClass[typeCode] ?? byClass[typeCode.slice(0, 2)] ?? data.tolerances.default,
    eventDepartment: (typeCode) => departments.get(typeCode) ?? departments.get(typeCode.slice(0, 2)),
    zoneKindOverrides: (kind) => zoneKinds.has(kind),
  };
}
