import type { ClassEntry } from '../domain/types.js';
import type { Rng } from './prng.js';
import type { UnitRegistry } from './units.js';
import type { ZoneFrame } from './zones.js';

/**
 * 主管部门 / 权属单位 / 养护单位 of a demo component, chosen the way they usually fall:
 * - utilities (water, power, gas, telecom …): the company is competent, owner and maintainer;
 *   telecom covers belong to one of the carriers, TV covers to the cable operator;
 * - city assets (roads, lighting, greening, sanitation): the district's centre is competent, the
 *   城管局 owns (sanitation owns its own), a contracted company maintains;
 * - street furniture under 城管 (kiosks, billboards, fitness sets): 城管局 competent, the street
 *   office owns and maintains (属地);
 * - inside a park or scenic area the zone's office owns and maintains the classes it manages;
 * - 无主井盖 (no competent kind): 城管局 competent, owner and maintainer unknown (null).
 */
export interface Parties {
  competentUnit: string | null;
  ownerUnit: string | null;
  maintainerUnit: string | null;
}

const MAINTAINER_OF: Record<string, string> = {
  lighting: 'maintenance_lighting',
  greening: 'maintenance_greening',
  roads: 'maintenance_roads',
  sanitation: 'maintenance_sanitation',
};

const CARRIERS = ['telecom', 'telecom_mobile', 'telecom_unicom'];

export function partiesFor(rng: Rng, units: UnitRegistry, c: ClassEntry, streetCode: string, zone: ZoneFrame | null): Parties {
  const code = (kind: string) => units.byKind(kind).code;
  const kind = c.defaultCompetent;
  let parties: Parties;
  if (kind === null) {
    return { competentUnit: code('urban_management'), ownerUnit: null, maintainerUnit: null };
  } else if (kind in MAINTAINER_OF) {
    const owner = kind === 'sanitation' ? code('sanitation') : code('urban_management');
    parties = { competentUnit: code(kind), ownerUnit: owner, maintainerUnit: code(MAINTAINER_OF[kind]) };
  } else if (kind === 'urban_management') {
    const office = units.streetOffice(streetCode).code;
    parties = { competentUnit: code(kind), ownerUnit: office, maintainerUnit: office };
  } else if (kind === 'telecom') {
    const carrier = code(c.typeCode === '0108' ? 'cable_tv' : rng.pick(CARRIERS));
    parties = { competentUnit: carrier, ownerUnit: carrier, maintainerUnit: carrier };
  } else {
    const unit = code(kind);
    const contracted = kind === 'traffic' || kind === 'water_affairs' ? code('maintenance_roads') : unit;
    parties = { competentUnit: unit, ownerUnit: unit, maintainerUnit: contracted };
  }
  if (zone && zone.ownsComponents(c)) {
    parties.ownerUnit = zone.zone.responsibleUnit;
    parties.maintainerUnit = zone.zone.responsibleUnit;
  }
  return parties;
}
