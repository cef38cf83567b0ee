import type { ClassEntry } from '../domain/types.js';
import type { CityData } from '../store/city-writer.js';
import { openGazetteer } from '../domain/gazetteer.js';
import { loadClassDictionary } from '../domain/classes.js';
import { generateDemoCity } from '../demo/index.js';

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
    };
    return { city, classes };
  } finally {
    gazetteer.close();
  }
}
