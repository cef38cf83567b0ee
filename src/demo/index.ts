import type { Gazetteer } from '../domain/gazetteer.js';
import type { Address, AdminArea, ClassEntry, Component, Grid, Road, Unit, Zone } from '../domain/types.js';
import { buildAddresses } from './addresses.js'; // 门牌 along both sides of every road
import { buildAdminFrame, communityCounts, DEMO_COUNTY, planAdmin } from './admin.js'; // real codes, traced polygons
import { buildComponents } from './components.js'; // 部件: furniture, traffic, blocks, river bank
import type { CityFrame } from './frame.js'; // mesh + labels + grids, shared by the placers
import { buildGrids } from './grids.js'; // one ~10,000 m² unit grid per mesh cell
import { buildLattice } from './lattice.js'; // the shared jittered quad mesh
import { partitionCommunities, partitionStreets, riverMask } from './partition.js'; // cell labels
import { createRng } from './prng.js'; // seeded streams
import { createProjection } from './projection.js'; // local metres ↔ CGCS2000 lon/lat
import { roadPaths } from './roadside.js'; // distances and offsets along roads
import { buildRoads } from './roads.js'; // roads and lanes on mesh lines
import { buildUnits } from './units.js'; // departments, companies, offices
import { buildZones } from './zones.js'; // park, development zone, scenic area

export interface DemoOptions {
  /** Random seed; the same seed (and scale) gives identical output. */
  seed?: number;
  /**
   * Roughly linear in the number of grids, addresses and components; 1 (default) gives ~5,500 grids.
   * At least 0.02; above ~5 a community would need more than 999 grids and generation throws.
   */
  scale?: number;
  gazetteer: Gazetteer;
  /** The class dictionary (components and events) the city is generated against. */
  classes: ClassEntry[];
}

export interface DemoCity {
  countyCode: string;
  name: string;
  district: AdminArea;
  streets: AdminArea[];
  communities: AdminArea[];
  grids: Grid[];
  components: Component[];
  addresses: Address[];
  roads: Road[];
  zones: Zone[];
  units: Unit[];
  /** [minLon, minLat, maxLon, maxLat] of the district. */
  bbox: [number, number, number, number];
}

export const DEFAULT_DEMO_SEED = 20240301;

/** Centre of the demo plane, in the real 上城区 (望江/采荷 area), and the nominal grid side. */
const CENTRE_LON = 120.2085;
const CENTRE_LAT = 30.2685;
const CELL_M = 100;
/** Mesh size at scale 1: 86 × 70 cells, of which ~5,500 are land after the river cut. */
const BASE_NX = 86;
const BASE_NY = 70;

/**
 * Generates the synthetic demo city of 杭州市上城区: real county, street and community codes and
 * names from the gazetteer, invented geometry. Pure and deterministic for a given seed and scale.
 *
 * 1. A jittered quad mesh in a local metric plane, converted once to lon/lat (lattice.ts).
 * 2. Cells labelled land/river, then street quadrants, then communities (partition.ts).
 * 3. Admin polygons traced through the shared mesh vertices; one grid per land cell.
 * 4. Roads on mesh lines; addresses, zones, units and components placed on that frame.
 */
export function generateDemoCity(options: DemoOptions): DemoCity {
  const scale = options.scale ?? 1;
  if (!(scale >= 0.02)) throw new Error('demo: scale must be at least 0.02');
  const rng = createRng(options.seed ?? DEFAULT_DEMO_SEED);
  const nx = Math.max(10, Math.round(BASE_NX * Math.sqrt(scale)));
  const ny = Math.max(8, Math.round(BASE_NY * Math.sqrt(scale)));
  const proj = createProjection(CENTRE_LON, CENTRE_LAT, nx * CELL_M, ny * CELL_M);
  const lattice = buildLattice(rng.fork('mesh'), nx, ny, CELL_M, proj);

  const land = riverMask(rng.fork('river'), lattice);
  const streetLabels = partitionStreets(rng.fork('streets'), lattice, land);
  const plan = planAdmin(options.gazetteer);
  const streetCells = plan.streets.map((_, s) => streetLabels.filter((l) => l === s).length);
  const counts = communityCounts(plan, streetCells, scale);
  const communityLabels = partitionCommunities(rng.fork('communities'), lattice, streetLabels, counts);
  const admin = buildAdminFrame(lattice, plan, streetLabels, communityLabels, counts);
  const frame: CityFrame = { lattice, admin, grids: buildGrids(lattice, admin) };

  const units = buildUnits(plan.county.name, plan.streets, admin.communities);
  const network = buildRoads(rng.fork('roads'), lattice, land, DEMO_COUNTY);
  const paths = roadPaths(lattice, network);
  const zones = buildZones(rng.fork('zones'), lattice, admin, units, options.classes, scale);
  const components = buildComponents(rng.fork('components'), {
    frame, classes: options.classes, units, zones, network, paths, countyCode: DEMO_COUNTY,
  });

  return {
    countyCode: DEMO_COUNTY,
    name: plan.fullName,
    district: admin.district,
    streets: admin.streets,
    communities: admin.communities.map((c) => c.area),
    grids: frame.grids.grids,
    components,
    addresses: buildAddresses(rng.fork('addresses'), frame, paths, DEMO_COUNTY),
    roads: network.rows,
    zones: zones.map((z) => z.zone),
    units: units.units,
    bbox: bboxOf(admin.district),
  };
}

function bboxOf(area: AdminArea): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
  for (const [lon, lat] of polygons.flatMap((p) => p[0])) {
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
  }
  return box;
}
