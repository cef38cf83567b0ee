import type { AdminLevel } from './types.js';

/**
 * Format checks for the codes of 数字城管: administrative codes (GB/T 2260 + GB/T 10114 statistical codes),
 * unit grid codes (单元网格标识码, GB/T 30428.1) and component identifiers (部件标识码, GB/T 30428.2).
 *
 * Pure: no I/O, no reference tables. Whether a code *exists* is reference.ts's job; this file only says
 * whether it is well formed. See docs/codes.md for the code structures and the problem table.
 */

/**
 * Stable problem codes of the format checks. Clients branch on these, never on message text, so a
 * code is never renamed or reused (the same rule as the HTTP error table in src/errors.ts).
 */
export const CODE_PROBLEMS = {
  /** Not 6, 9 or 12 ASCII digits, or the county part is not `^[1-9]\d{5}$`. */
  ADMIN_CODE_FORMAT: 'ADMIN_CODE_FORMAT',
  /** Street suffix outside 001–599, or community suffix 000. */
  ADMIN_CODE_RANGE: 'ADMIN_CODE_RANGE',
  /** Not 15 digits (or 14 when the legacy form is allowed). */
  GRID_CODE_FORMAT: 'GRID_CODE_FORMAT',
  /** A 14-digit legacy grid code where only the 15-digit form is accepted. */
  GRID_CODE_LEGACY: 'GRID_CODE_LEGACY',
  /** The first 12 digits are not a well-formed community code. */
  GRID_CODE_PREFIX: 'GRID_CODE_PREFIX',
  /** The grid sequence is all zeros. */
  GRID_CODE_SEQUENCE_ZERO: 'GRID_CODE_SEQUENCE_ZERO',
  /** The grid code does not start with the given community code. */
  GRID_COMMUNITY_MISMATCH: 'GRID_COMMUNITY_MISMATCH',
  /** Not 16 or 17 digits. */
  COMPONENT_ID_FORMAT: 'COMPONENT_ID_FORMAT',
  /** The county part is not `^[1-9]\d{5}$`. */
  COMPONENT_ID_PREFIX: 'COMPONENT_ID_PREFIX',
  /** The major class is not in the accepted set (default 01–06 and ≥ 21). */
  COMPONENT_ID_MAJOR: 'COMPONENT_ID_MAJOR',
  /** The minor class is all zeros. */
  COMPONENT_ID_MINOR: 'COMPONENT_ID_MINOR',
  /** The sequence is 000000. */
  COMPONENT_ID_SEQUENCE_ZERO: 'COMPONENT_ID_SEQUENCE_ZERO',
} as const;

export type CodeProblemCode = (typeof CODE_PROBLEMS)[keyof typeof CODE_PROBLEMS];

/** One thing wrong with a code. `field` names the part to blame (e.g. `sequence`, `streetCode`). */
export interface Problem<C extends string = CodeProblemCode> {
  code: C;
  field?: string;
  message: string;
}

export type Result<T, C extends string = CodeProblemCode> =
  | { ok: true; value: T }
  | { ok: false; problem: Problem<C> };

export interface AdminCodeParts {
  code: string;
  level: AdminLevel;
  countyCode: string;
  /** 9-digit street/township code; null for a county code. */
  streetCode: string | null;
  /** 12-digit community/village code; null above community level. */
  communityCode: string | null;
}

export interface GridCodeParts {
  code: string;
  /** '15' = 6+3+3+3 (GB/T 30428.1); '14' = legacy 6+3+3+2 (believed CJ/T 213-2005). */
  form: '15' | '14';
  countyCode: string;
  streetCode: string;
  communityCode: string;
  sequence: string;
}

export interface ComponentIdParts {
  id: string;
  /** '16' = 6+2+2+6 (CJ/T 214-2007, GB/T 30428.2-2013); '17' = 6+2+3+6 (new 3-digit minor classes). */
  form: '16' | '17';
  countyCode: string;
  major: string;
  minor: string;
  /** major + minor: the key into the class dictionary. */
  typeCode: string;
  sequence: string;
}

export interface GridCodeOptions {
  /** Accept the legacy 14-digit form. Off by default: new data should use 15 digits. */
  allowLegacy14?: boolean;
}

/** Accepted component major classes, as a set of 2-digit strings or a predicate. */
export type MajorFilter = ReadonlySet<string> | ((major: string) => boolean);

export interface ComponentIdOptions {
  /** Defaults to {@link isDefaultComponentMajor}: 01–06 standard, 21+ local extensions. */
  majors?: MajorFilter;
}

const COUNTY = /^[1-9]\d{5}$/;
const ADMIN = /^\d{6}(?:\d{3}){0,2}$/;
const COMPONENT_ID = /^(\d{6})(\d{2})(\d{2,3})(\d{6})$/;
const ALL_ZEROS = /^0+$/;
/** GB/T 10114 township suffixes: 001–099 街道, 100–199 镇, 200–399 乡, 400–599 政企合一 and similar. */
const STREET_SUFFIX_MAX = 599;
const LEVEL_BY_LENGTH: Record<number, AdminLevel> = { 6: 'district', 9: 'street', 12: 'community' };

/** Quote an input for a message, cut short so a huge bad value cannot flood a response. */
function show(value: unknown): string {
  if (typeof value !== 'string') return `a ${value === null ? 'null' : typeof value}`;
  return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value);
}

function fail<C extends string>(code: C, message: string, field: string): { ok: false; problem: Problem<C> } {
  return { ok: false, problem: { code, field, message } };
}

/**
 * The range rules shared by admin codes and the admin prefix of grid codes, on a string already known
 * to be 6, 9 or 12 digits. Community suffixes are not capped: 400–599 and ≥ 601 are legitimate
 * special or merged communities (standards §1.3, §4.2).
 */
function adminPartsProblem(code: string): Problem | null {
  if (!COUNTY.test(code.slice(0, 6))) {
    return {
      code: CODE_PROBLEMS.ADMIN_CODE_FORMAT,
      field: 'countyCode',
      message: `County code (区县代码) ${show(code.slice(0, 6))} must be 6 digits not starting with 0 (GB/T 2260).`,
    };
  }
  const street = code.length >= 9 ? Number(code.slice(6, 9)) : 1;
  if (street < 1 || street > STREET_SUFFIX_MAX) {
    return {
      code: CODE_PROBLEMS.ADMIN_CODE_RANGE,
      field: 'streetCode',
      message: `Street/township suffix (街道/乡镇代码) ${show(code.slice(6, 9))} must be 001–599 (GB/T 10114).`,
    };
  }
  if (code.length === 12 && code.endsWith('000')) {
    return {
      code: CODE_PROBLEMS.ADMIN_CODE_RANGE,
      field: 'communityCode',
      message: 'Community/village suffix (社区/村代码) must not be 000.',
    };
  }
  return null;
}

function adminParts(code: string): AdminCodeParts {
  return {
    code,
    level: LEVEL_BY_LENGTH[code.length],
    countyCode: code.slice(0, 6),
    streetCode: code.length >= 9 ? code.slice(0, 9) : null,
    communityCode: code.length === 12 ? code : null,
  };
}

/**
 * Parse a county (6), street/township (9) or community/village (12) code.
 * 1. 6, 9 or 12 ASCII digits; 2. county part `^[1-9]\d{5}$`; 3. street suffix 001–599;
 * 4. community suffix not 000. Existence is checked by reference.ts, never by pattern.
 */
export function parseAdminCode(code: unknown): Result<AdminCodeParts> {
  if (typeof code !== 'string' || !ADMIN.test(code)) {
    const message = `Admin code must be 6 (区县), 9 (街道/乡镇) or 12 (社区/村) digits; got ${show(code)}.`;
    return fail(CODE_PROBLEMS.ADMIN_CODE_FORMAT, message, 'code');
  }
  const problem = adminPartsProblem(code);
  return problem ? { ok: false, problem } : { ok: true, value: adminParts(code) };
}

/**
 * Parse a unit grid code (单元网格标识码).
 * 1. 15 digits (6 county + 3 street + 3 community + 3 sequence), or 14 with a 2-digit sequence when
 *    `allowLegacy14` is set; 2. the first 12 digits pass the admin range rules; 3. the sequence is not
 *    all zeros (a "000"/"00" suffix marks a community-level pseudo-grid in some systems, not a grid).
 */
export function parseGridCode(code: unknown, options: GridCodeOptions = {}): Result<GridCodeParts> {
  if (typeof code === 'string' && /^\d{14}$/.test(code) && !options.allowLegacy14) {
    const message = `Grid code ${show(code)} has the legacy 14-digit form (6+3+3+2); only 15 digits are accepted here.`;
    return fail(CODE_PROBLEMS.GRID_CODE_LEGACY, message, 'code');
  }
  if (typeof code !== 'string' || !/^\d{14,15}$/.test(code)) {
    const message = `Grid code (单元网格标识码) must be 15 digits (6 county + 3 street + 3 community + 3 sequence); got ${show(code)}.`;
    return fail(CODE_PROBLEMS.GRID_CODE_FORMAT, message, 'code');
  }
  const prefix = adminPartsProblem(code.slice(0, 12));
  if (prefix) {
    return fail(CODE_PROBLEMS.GRID_CODE_PREFIX, `Grid code ${show(code)}: ${prefix.message}`, prefix.field ?? 'code');
  }
  const sequence = code.slice(12);
  if (ALL_ZEROS.test(sequence)) {
    const message = `Grid sequence (单元网格顺序码) of ${show(code)} must not be all zeros.`;
    return fail(CODE_PROBLEMS.GRID_CODE_SEQUENCE_ZERO, message, 'sequence');
  }
  return { ok: true, value: gridParts(code, sequence) };
}

function gridParts(code: string, sequence: string): GridCodeParts {
  return {
    code,
    form: code.length === 15 ? '15' : '14',
    countyCode: code.slice(0, 6),
    streetCode: code.slice(0, 9),
    communityCode: code.slice(0, 12),
    sequence,
  };
}

/** 01–06 are the GB/T 30428.2 majors; implementations start local extension majors at 21 (standards §2.2). */
export function isDefaultComponentMajor(major: string): boolean {
  const n = Number(major);
  return (n >= 1 && n <= 6) || n >= 21;
}

function acceptsMajor(filter: MajorFilter, major: string): boolean {
  return typeof filter === 'function' ? filter(major) : filter.has(major);
}

/**
 * Parse a component identifier (部件标识码).
 * 1. 16 digits (6 county + 2 major + 2 minor + 6 sequence) or 17 (3-digit minor); 2. county part
 * `^[1-9]\d{5}$`; 3. major in the accepted set; 4. minor not all zeros; 5. sequence not 000000.
 * Whether (major, minor) is a known class is a dictionary question, left to reference.ts.
 */
export function parseComponentId(id: unknown, options: ComponentIdOptions = {}): Result<ComponentIdParts> {
  const m = typeof id === 'string' ? COMPONENT_ID.exec(id) : null;
  if (typeof id !== 'string' || !m) {
    const message = `Component id (部件标识码) must be 16 digits (6+2+2+6) or 17 digits (6+2+3+6); got ${show(id)}.`;
    return fail(CODE_PROBLEMS.COMPONENT_ID_FORMAT, message, 'id');
  }
  const [, countyCode, major, minor, sequence] = m;
  if (!COUNTY.test(countyCode)) {
    const message = `County part (区县代码) ${show(countyCode)} of component id must not start with 0 (GB/T 2260).`;
    return fail(CODE_PROBLEMS.COMPONENT_ID_PREFIX, message, 'countyCode');
  }
  if (!acceptsMajor(options.majors ?? isDefaultComponentMajor, major)) {
    return fail(CODE_PROBLEMS.COMPONENT_ID_MAJOR, `Component major class (大类) ${show(major)} is not accepted.`, 'major');
  }
  if (ALL_ZEROS.test(minor)) {
    return fail(CODE_PROBLEMS.COMPONENT_ID_MINOR, `Component minor class (小类) must not be ${show(minor)}.`, 'minor');
  }
  if (ALL_ZEROS.test(sequence)) {
    return fail(CODE_PROBLEMS.COMPONENT_ID_SEQUENCE_ZERO, 'Component sequence (顺序码) must not be 000000.', 'sequence');
  }
  const form = id.length === 16 ? '16' : '17';
  return { ok: true, value: { id, form, countyCode, major, minor, typeCode: major + minor, sequence } };
}

/**
 * Check that a grid belongs to a community: the grid code must be well formed, the community code must
 * be a well-formed 12-digit code, and the grid code's first 12 digits must equal it (the grid code
 * embeds its community, so a record naming another community contradicts itself).
 */
export function checkGridCommunity(
  gridCode: unknown,
  communityCode: unknown,
  options: GridCodeOptions = {},
): Result<GridCodeParts> {
  const grid = parseGridCode(gridCode, options);
  if (!grid.ok) return grid;
  const community = parseAdminCode(communityCode);
  if (!community.ok) return { ok: false, problem: { ...community.problem, field: 'communityCode' } };
  if (community.value.level !== 'community') {
    const message = `Community code (社区/村代码) must be a valid 12-digit code; got ${show(communityCode)}.`;
    return fail(CODE_PROBLEMS.ADMIN_CODE_FORMAT, message, 'communityCode');
  }
  if (grid.value.communityCode !== community.value.code) {
    const message = `Grid ${show(grid.value.code)} lies in community ${grid.value.communityCode}, not ${community.value.code}.`;
    return fail(CODE_PROBLEMS.GRID_COMMUNITY_MISMATCH, message, 'communityCode');
  }
  return grid;
}
