import type { ClassEntry, Component } from '../domain/types.js';
import { placeBlocks } from './blocks.js';
import type { CityFrame } from './frame.js';
import { placeFurniture } from './furniture.js';
import type { Rng } from './prng.js';
import { placeRiverside } from './riverside.js';
import type { RoadPath } from './roadside.js';
import type { RoadNetwork } from './roads.js';
import { createSink } from './sink.js';
import { placeTraffic } from './traffic.js';
import type { UnitRegistry } from './units.js';
import type { ZoneFrame } from './zones.js';

export interface ComponentInputs {
  frame: CityFrame;
  classes: readonly ClassEntry[];
  units: UnitRegistry;
  zones: readonly ZoneFrame[];
  network: RoadNetwork;
  paths: readonly RoadPath[];
  countyCode: string;
}

/**
 * Components (部件) of the demo city, placed where such things stand: furniture and covers along
 * the roads, traffic facilities at junctions, greenery and amenities inside blocks, flood walls on
 * the river bank. Each placer draws from its own random stream; the sink numbers and describes.
 * Classes missing from the dictionary, or whose geometry kinds do not allow the shape, are skipped.
 */
export function buildComponents(rng: Rng, input: ComponentInputs): Component[] {
  const sink = createSink(rng.fork('records'), input.frame, input.classes, input.units, input.zones, input.countyCode);
  placeFurniture(rng.fork('furniture'), sink, input.paths);
  placeTraffic(rng.fork('traffic'), sink, input.paths, input.network);
  placeBlocks(rng.fork('blocks'), sink, input.frame, input.zones);
  placeRiverside(rng.fork('riverside'), sink, input.frame);
  return sink.components;
}
