import type { Knex } from 'knex';
import { defaultClassFile, loadClassDictionary, type ClassDictionary } from '../domain/classes.js';
import { replaceClasses } from '../store/reference.js';
import { bumpDataVersion } from '../store/meta.js';

/**
 * Stores the class dictionary in force: the shipped GB/T 30428.2 tables with the city's files layered
 * over them (later files override earlier ones by category and type code). Validated before anything is
 * written; stored with a data-version bump so every replica reloads it.
 */
export async function setClassDictionary(db: Knex, cityFiles: readonly string[]): Promise<{ dictionary: ClassDictionary; dataVersion: number }> {
  const dictionary = loadClassDictionary([defaultClassFile(), ...cityFiles]);
  const dataVersion = await db.transaction(async (trx) => {
    await replaceClasses(trx, dictionary.list());
    // Tiles carry class codes, not names: no layer version moves.
    return bumpDataVersion(trx, []);
  });
  return { dictionary, dataVersion };
}
