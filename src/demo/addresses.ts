import type { Address } from '../domain/types.js';
import { spotAt, type CityFrame } from './frame.js';
import { buildingName } from './names.js';
import type { Rng } from './prng.js';
import { distancesAlong, pointBeside, type RoadPath } from './roadside.js';

/** 门牌 points sit 8 m either side of the centreline, one every 20–36 m. */
const ADDRESS_OFFSET_M = 8;

/**
 * House-number points (门牌) along every road: odd numbers on the left of the road's direction,
 * even on the right (左单右双), both growing along the road, with the odd gap of a skipped number.
 * The admin codes are those of the mesh cell the point falls in, found exactly.
 */
export function buildAddresses(rng: Rng, frame: CityFrame, paths: readonly RoadPath[], countyCode: string): Address[] {
  const out: Address[] = [];
  for (const path of paths) {
    for (const side of [1, -1] as const) {
      let number = side === 1 ? 1 : 2;
      for (const s of distancesAlong(rng, path, { spacing: [20, 36], vertexGap: 4, junctionGap: 15 })) {
        const [x, y] = pointBeside(path, s, side * ADDRESS_OFFSET_M);
        const spot = spotAt(frame, x, y, 1);
        if (!spot) continue;
        const community = frame.admin.communities[spot.community];
        out.push({
          id: `A${String(out.length + 1).padStart(7, '0')}`,
          roadName: path.line.name,
          houseNumber: `${number}号`,
          number,
          building: rng.chance(0.18) ? buildingName(rng) : null,
          districtCode: countyCode,
          streetCode: frame.admin.streets[community.street].code,
          communityCode: community.code,
          geometry: { type: 'Point', coordinates: spot.position },
        });
        number += rng.chance(0.08) ? 4 : 2;
      }
    }
  }
  return out;
}
