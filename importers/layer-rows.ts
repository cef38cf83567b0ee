import { parseComponentId } from '../src/domain/codes.js';
import type { Address, AdminArea, AdminLevel, Component, Geometry, Grid, Road, Zone } from '../src/domain/types.js';
import type { MappableLayer } from './field-aliases.js';
import type { MappingProblem } from './field-mapping.js';

/**
 * Assemble each layer's row from converted values. Geometry stays `Geometry | null` and unchecked: its
 * type and validity are the validation stage's business, like code formats and dictionary lookups.
 */
export type Mapped<T> = Omit<T, 'geometry'> & { geometry: Geometry | null };

interface Rows {
  components: Component;
  grids: Grid;
  admin_areas: AdminArea;
  addresses: Address;
  roads: Road;
  zones: Zone;
}

export type MappedRowValue<L extends MappableLayer> = Mapped<Rows[L]>;

export interface RowContext {
  /** Converted target values; null when absent or unreadable. */
  values: Record<string, unknown>;
  /** Unmapped source fields, plus raw values of fields that failed conversion. */
  extra: Record<string, unknown>;
  geometry: Geometry | null;
  problems: MappingProblem[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v));
const req = (v: unknown) => str(v) ?? '';

/** Major and minor class out of a 16/17-digit id, even when another part of it is bad (validation says which). */
function classOf(id: string, problems: MappingProblem[]): { major: string; minor: string } {
  const parsed = parseComponentId(id);
  if (parsed.ok) return { major: parsed.value.major, minor: parsed.value.minor };
  if (/^\d{16,17}$/.test(id)) return { major: id.slice(6, 8), minor: id.slice(8, id.length === 16 ? 10 : 11) };
  if (id !== '') {
    const message = `The component id ${JSON.stringify(id)} is not 16 or 17 digits, so its class (大类/小类) cannot be read from it.`;
    problems.push({ code: 'MAP_CLASS_FROM_ID', field: 'major', message });
  }
  return { major: '', minor: '' };
}

function component({ values: v, extra, geometry, problems }: RowContext): Mapped<Component> {
  const id = req(v.id);
  return {
    id,
    ...classOf(id, problems),
    name: req(v.name),
    competentUnit: str(v.competentUnit),
    ownerUnit: str(v.ownerUnit),
    maintainerUnit: str(v.maintainerUnit),
    gridCode: str(v.gridCode),
    state: req(v.state),
    initialDate: req(v.initialDate),
    changedDate: str(v.changedDate),
    dataSource: str(v.dataSource),
    note: str(v.note),
    extra,
    geometry,
  };
}

function grid({ values: v, geometry }: RowContext): Mapped<Grid> {
  const code = req(v.code);
  return {
    code,
    name: req(v.name),
    // The grid code embeds its community (first 12 digits): the fallback when no column names it.
    communityCode: str(v.communityCode) ?? (code.length >= 14 ? code.slice(0, 12) : ''),
    // 0 when the delivery has no area: the writer computes it from the geometry.
    areaM2: typeof v.areaM2 === 'number' ? v.areaM2 : 0,
    initialDate: req(v.initialDate),
    terminationDate: str(v.terminationDate),
    note: str(v.note),
    geometry,
  };
}

const LEVELS: Record<number, AdminLevel> = { 6: 'district', 9: 'street', 12: 'community' };

/** Admin areas: level from the code length; 12-digit codes padded with zeros (330102000000) are shortened. */
function adminArea({ values: v, geometry, problems }: RowContext): Mapped<AdminArea> {
  const code = req(v.code).replace(/^(\d{6})000000$/, '$1').replace(/^(\d{9})000$/, '$1');
  const level = LEVELS[code.length];
  if (!level && code !== '') {
    problems.push({ code: 'MAP_ADMIN_LEVEL', field: 'level', message: `The admin code ${JSON.stringify(code)} is not 6, 9 or 12 digits, so its level is unknown.` });
  }
  const parentCode = code.length === 12 ? code.slice(0, 9) : code.length === 9 ? code.slice(0, 6) : null;
  return { code, name: req(v.name), level: level ?? 'district', parentCode, geometry };
}

function address({ values: v, geometry }: RowContext): Mapped<Address> {
  const houseNumber = req(v.houseNumber);
  const digits = /\d+/.exec(houseNumber);
  return {
    id: req(v.id),
    roadName: req(v.roadName),
    houseNumber,
    number: digits ? Number(digits[0]) : null,
    building: str(v.building),
    districtCode: req(v.districtCode),
    streetCode: req(v.streetCode),
    communityCode: req(v.communityCode),
    geometry,
  };
}

function road({ values: v, geometry }: RowContext): Mapped<Road> {
  return { id: req(v.id), name: req(v.name), districtCode: req(v.districtCode), geometry };
}

function zone({ values: v, geometry }: RowContext): Mapped<Zone> {
  return {
    id: req(v.id),
    name: req(v.name),
    kind: req(v.kind),
    responsibleUnit: req(v.responsibleUnit),
    classes: Array.isArray(v.classes) ? (v.classes as string[]) : [],
    geometry,
  };
}

export const ROW_BUILDERS: { [L in MappableLayer]: (ctx: RowContext) => MappedRowValue<L> } = {
  components: component,
  grids: grid,
  admin_areas: adminArea,
  addresses: address,
  roads: road,
  zones: zone,
};
