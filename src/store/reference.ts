import type { Knex } from 'knex';
import type { Unit, ClassEntry, ClassCategory } from '../domain/types.js';

/** Units/departments and the class dictionary: plain attribute tables in both stores. */

export async function insertUnits(db: Knex | Knex.Transaction, units: readonly Unit[]): Promise<void> {
  if (units.length === 0) return;
  await db.batchInsert('units', units.map((u) => ({ code: u.code, name: u.name, kind: u.kind, contact: u.contact })), 500);
}

export async function readUnits(db: Knex | Knex.Transaction): Promise<Unit[]> {
  const rows = await db('units').select('code', 'name', 'kind', 'contact').orderBy('code');
  return rows.map((r) => ({ code: r.code, name: r.name, kind: r.kind, contact: r.contact }));
}

/** Replaces the stored dictionary with the one in force (it is data loaded from data/classes). */
export async function replaceClasses(db: Knex | Knex.Transaction, classes: readonly ClassEntry[]): Promise<void> {
  await db('classes').delete();
  const rows = classes.map((c) => ({
    category: c.category, type_code: c.typeCode, major: c.major, minor: c.minor, major_name: c.majorName,
    name: c.name, standard_version: c.standardVersion, geometry_kinds: c.geometryKinds.join(','),
    default_competent: c.defaultCompetent,
  }));
  await db.batchInsert('classes', rows, 200);
}

export async function readClasses(db: Knex | Knex.Transaction): Promise<ClassEntry[]> {
  const rows = await db('classes').select('*').orderBy(['category', 'type_code']);
  return rows.map((r) => ({
    category: r.category as ClassCategory, major: r.major, minor: r.minor, typeCode: r.type_code,
    majorName: r.major_name, name: r.name, standardVersion: r.standard_version,
    geometryKinds: String(r.geometry_kinds).split(',') as ClassEntry['geometryKinds'],
    defaultCompetent: r.default_competent,
  }));
}
