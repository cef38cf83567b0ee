import type { ClassEntry } from '../domain/types.js';
import type { CityData } from '../store/city-writer.js';
import { openGazetteer } from '../domain/gazetteer.js';
import { loadClassDictionary } from '../domain/classes.js';
import { generateDemoCity } from '../demo/index.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import type { ResponsibilityListData } from '../ownership/responsibility-list.js';

/** The demo city's responsibility list (责任清单), a sample of the format in data/. */
export const DEMO_RESPONSIBILITY_FILE = path.join(packageRoot(), 'data', 'responsibility', 'shangcheng-demo.json');

export const DEMO_SEED = 20240301;

/** The demo city as store-ready layers, with the class dictionary it was generated against. */
export function buildDemoCityData(options: { seed?: number; scale?: number } = {}): { city: CityData; classes: ClassEntry[] } {
  const gazetteer = openGazetteer();
  try {
    const classes = [...loadClassDictionary().list()];
    const demo = generateDemoCity({ seed: options.seed ?? DEMO_SEED, scale: options.scale ?? 1, gazetteer, classes });
    const city: CityData = {
      name: demo.name,
      adminAreas: [demo.district, ...demo.streets, ...demo.communities],
      grids: demo.grids,
      components: demo.components,
      addresses: demo.addresses,
      roads: demo.roads,
      zones: demo.zones,
      units: demo.units,
      // Validated against the units when the index is built (loadResponsibilityList).
      responsibility: JSON.parse(readFileSync(DEMO_RESPONSIBILITY_FILE, 'utf8')) as ResponsibilityListData,
    };
    return { city, classes };
  } finally {
    gazetteer.close();
  }
}
