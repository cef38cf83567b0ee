import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClassCategory, ClassEntry } from './types.js';
import { packageRoot } from '../paths.js';

/**
 * The component/event class dictionary (GB/T 30428.2 部件/事件 classes) as data, never as code:
 * the standard's tables are rebuilt from implementations and cities deviate, so a city loads its own
 * file after the shipped one and its entries replace or extend the defaults by (category, typeCode).
 */
export interface ClassDictionary {
  /** The class for a category and type code (e.g. 'component', '0102'), or undefined. O(1). */
  get(category: ClassCategory, typeCode: string): ClassEntry | undefined;
  /** All classes, or those of one category, ordered by category then type code. */
  list(category?: ClassCategory): readonly ClassEntry[];
  /** `version` of each loaded file, in load order. */
  readonly versions: readonly string[];
}

/** One parsed dictionary file. */
export interface ClassFile {
  version: string;
  entries: ClassEntry[];
}

const GEOMETRY_KINDS: ReadonlySet<string> = new Set(['point', 'line', 'polygon']);
const MAJOR = /^(?!00)\d{2}$/;
const MINOR = /^(?!0+$)\d{2,3}$/;

/** The shipped GB/T 30428.2-2013 dictionary. */
export function defaultClassFile(): string {
  return path.join(packageRoot(), 'data', 'classes', 'gbt30428.2-2013.json');
}

/**
 * Load dictionary files; later files override earlier ones by (category, typeCode).
 * A city passes `[defaultClassFile(), cityFile]` to keep the defaults and add its own; passing only
 * its own file replaces the defaults entirely. Throws on unreadable or invalid files, naming the file.
 */
export function loadClassDictionary(files: readonly string[] = [defaultClassFile()]): ClassDictionary {
  return buildClassDictionary(files.map((file) => parseClassFile(readText(file), file)));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Class dictionary ${file}: cannot read (${(err as Error).message})`, { cause: err });
  }
}

/** Merge parsed files in order into one dictionary; a later entry replaces an earlier one with the same key. */
export function buildClassDictionary(files: readonly ClassFile[]): ClassDictionary {
  const byKey = new Map<string, ClassEntry>();
  for (const file of files) {
    for (const entry of file.entries) byKey.set(key(entry.category, entry.typeCode), entry);
  }
  // Sorted once here so list() is cheap and its order does not depend on the order of overrides.
  const all = Object.freeze([...byKey.values()].sort(compareEntries));
  const byCategory = {
    component: Object.freeze(all.filter((e) => e.category === 'component')),
    event: Object.freeze(all.filter((e) => e.category === 'event')),
  };
  return {
    get: (category, typeCode) => byKey.get(key(category, typeCode)),
    list: (category) => (category ? byCategory[category] : all),
    versions: Object.freeze(files.map((f) => f.version)),
  };
}

// Component and event type codes collide (0101 is 上水井盖 and 私搭乱建), so the category is in the key.
function key(category: ClassCategory, typeCode: string): string {
  return `${category}:${typeCode}`;
}

function compareEntries(a: ClassEntry, b: ClassEntry): number {
  if (a.category !== b.category) return a.category === 'component' ? -1 : 1;
  return a.typeCode < b.typeCode ? -1 : a.typeCode > b.typeCode ? 1 : 0;
}

/**
 * Parse and validate one dictionary file's text. `file` is used only in error messages.
 * 1. JSON object with a non-empty `version` and a `classes` array; 2. every entry passes
 * {@link entryProblem}; 3. no (category, typeCode) twice in one file (overrides belong in a later file).
 */
export function parseClassFile(text: string, file: string): ClassFile {
  const doc = parseJson(text, file);
  if (!isRecord(doc) || !nonEmpty(doc.version) || !Array.isArray(doc.classes)) {
    throw new Error(`Class dictionary ${file}: expected an object with a non-empty "version" and a "classes" array`);
  }
  const version = doc.version;
  const seen = new Set<string>();
  const entries = doc.classes.map((raw: unknown, i: number) => {
    const where = `Class dictionary ${file}, classes[${i}]${describe(raw)}`;
    const problem = entryProblem(raw);
    if (problem) throw new Error(`${where}: ${problem}`);
    const entry = toEntry(raw as Record<string, unknown>, version);
    const k = key(entry.category, entry.typeCode);
    if (seen.has(k)) throw new Error(`${where}: duplicate ${entry.category} ${entry.typeCode} in the same file`);
    seen.add(k);
    return entry;
  });
  return { version, entries };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`Class dictionary ${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

/** " (component 0102 污水井盖)" when the entry has those fields, so a bad line is easy to find. */
function describe(raw: unknown): string {
  if (!isRecord(raw)) return '';
  const parts = [raw.category, raw.typeCode, raw.name].filter((p) => typeof p === 'string' && p !== '');
  return parts.length ? ` (${parts.join(' ')})` : '';
}

/** The first thing wrong with a raw entry, in words, or null. Unknown extra keys are ignored. */
export function entryProblem(raw: unknown): string | null {
  if (!isRecord(raw)) return 'entry must be an object';
  if (raw.category !== 'component' && raw.category !== 'event') {
    return `category must be "component" or "event", got ${JSON.stringify(raw.category)}`;
  }
  if (typeof raw.major !== 'string' || !MAJOR.test(raw.major)) return `major must be 2 digits 01–99, got ${JSON.stringify(raw.major)}`;
  if (typeof raw.minor !== 'string' || !MINOR.test(raw.minor)) return `minor must be 2 or 3 digits, not all zeros, got ${JSON.stringify(raw.minor)}`;
  if (raw.typeCode !== raw.major + raw.minor) {
    return `typeCode must be major + minor ("${raw.major + raw.minor}"), got ${JSON.stringify(raw.typeCode)}`;
  }
  if (!nonEmpty(raw.name)) return 'name must be a non-empty string';
  if (!nonEmpty(raw.majorName)) return 'majorName must be a non-empty string';
  if (!validKinds(raw.geometryKinds)) return `geometryKinds must be a non-empty list of point/line/polygon, got ${JSON.stringify(raw.geometryKinds)}`;
  if (raw.defaultCompetent != null && !nonEmpty(raw.defaultCompetent)) return 'defaultCompetent must be a non-empty string or null';
  return null;
}

// Empty is refused: a class that allows no geometry could never be stored.
function validKinds(kinds: unknown): kinds is ClassEntry['geometryKinds'] {
  return Array.isArray(kinds) && kinds.length > 0 && new Set(kinds).size === kinds.length
    && kinds.every((k) => typeof k === 'string' && GEOMETRY_KINDS.has(k));
}

function toEntry(raw: Record<string, unknown>, version: string): ClassEntry {
  return Object.freeze({
    category: raw.category as ClassCategory,
    major: raw.major as string,
    minor: raw.minor as string,
    typeCode: raw.typeCode as string,
    majorName: raw.majorName as string,
    name: raw.name as string,
    standardVersion: version,
    geometryKinds: [...(raw.geometryKinds as ClassEntry['geometryKinds'])],
    defaultCompetent: (raw.defaultCompetent as string | null | undefined) ?? null,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
