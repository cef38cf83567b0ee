import type { ClassDictionary } from '../src/domain/classes.js';
import type { AdminLookup } from '../src/domain/reference.js';
import type { MappableLayer } from './field-aliases.js';
import type { MappedRow, MappedRowValue } from './field-mapping.js';
import type { Polygonal } from './planar.js';
import { ReportBuilder, type ProblemInput, type Severity, type ValidationReport } from './report.js';
import { attributeChecker } from './validate-attributes.js';
import { ComponentGridCheck } from './validate-component-grid.js';
import { checkGeometry, kindOf } from './validate-geometry.js';
import { checkGridTopology, type TopologyGrid, type TopologyTolerances } from './validate-grids.js';

/**
 * The validator: mapped rows + context in, a report out. Pure — no store, no files: the caller loads
 * the context (import.ts from the store, tests from plain arrays). Rows stream through `add` with
 * constant work each (codes, attributes, geometry, component-in-grid); only grids are kept for the
 * cross-row topology that `finish` runs. So a million components need memory for their ids only.
 */
export interface ValidationContext {
  gazetteer: AdminLookup;
  dictionary: Pick<ClassDictionary, 'get' | 'list' | 'versions'>;
  /**
   * Components: the grids they may claim. Grids: the layer's other grids that stay beside this file
   * (an update keeps the store's grids it does not name), checked for overlaps with the file's.
   */
  grids?: ReadonlyArray<{ code: string; communityCode: string; geometry: Polygonal }>;
  /** Community polygons (12-digit admin areas), for grid containment and gaps. */
  communities?: ReadonlyMap<string, Polygonal>;
}

export interface ValidationOptions {
  /** Accept 14-digit legacy grid codes. */
  allowLegacy14?: boolean;
  /** Per-code severity overrides, e.g. { GRID_GAP: 'error', ADMIN_UNKNOWN_STREET: 'warning' }. */
  severity?: Partial<Record<string, Severity>>;
  /** Problems listed in the report (counts stay exact); default 10,000. */
  maxProblems?: number;
  tolerances?: Partial<TopologyTolerances & { componentGridM: number }>;
  /** Accepted 部件状态 values. */
  states?: readonly string[];
  /** ISO date after which dates are "in the future"; default today (UTC). */
  today?: string;
}

export interface ValidationResult {
  report: ValidationReport;
  /** Every row with an error (not capped like the problem list). */
  invalidRows: ReadonlySet<number>;
  /** Errors tied to no row (a gap as an error): --skip-invalid cannot skip them. */
  rowlessErrors: number;
}

export interface Validator<L extends MappableLayer> {
  /** Checks one row; returns false when it has an error so far (topology may still add some). */
  add(row: MappedRow<L>): boolean;
  finish(): ValidationResult;
}

export const DEFAULT_STATES = ['完好', '破损', '丢失', '占用', '废弃', '移除'] as const;
export const DEFAULT_TOLERANCES = { overlapM2: 0.5, gapM2: 1, outsideM2: 1, componentGridM: 0.5 } as const;

/** The feature key of a mapped row: component/address/road/zone id, grid or admin code. */
export function keyOfRow(layer: MappableLayer, v: MappedRowValue<MappableLayer>): string {
  const r = v as unknown as Record<string, string>;
  return layer === 'grids' || layer === 'admin_areas' ? r.code : r.id;
}

const NONE_FLAGGED: ReadonlySet<string> = new Set();

// Subsumed by the code checks, which say more (COMPONENT_ID_FORMAT, ADMIN_CODE_FORMAT).
const SUBSUMED = new Set(['MAP_CLASS_FROM_ID', 'MAP_ADMIN_LEVEL']);

export function createValidator<L extends MappableLayer>(layer: L, context: ValidationContext, options: ValidationOptions = {}): Validator<L> {
  const tol = { ...DEFAULT_TOLERANCES, ...options.tolerances };
  const builder = new ReportBuilder(options.maxProblems ?? 10_000, options.severity);
  const attributes = attributeChecker({
    gazetteer: context.gazetteer, dictionary: context.dictionary, allowLegacy14: options.allowLegacy14 ?? false,
    states: new Set(options.states ?? DEFAULT_STATES), today: options.today ?? new Date().toISOString().slice(0, 10),
    severity: options.severity ?? {},
  });
  const componentGrid = layer === 'components' ? componentGridCheck(context, tol.componentGridM, builder) : null;
  const seen = new Map<string, number>();
  const topology: TopologyGrid[] = [];
  let rows = 0;
  // The row being checked: one emitter for every row, not a closure made per row.
  let row = 0;
  let featureId: string | null = null;
  const emit = (p: Omit<ProblemInput, 'row' | 'featureId'>) => builder.add({ row, featureId, ...p });

  function add(mapped: MappedRow<L>): boolean {
    const { value, problems } = mapped;
    rows++;
    row = mapped.row;
    const key = keyOfRow(layer, value);
    featureId = key || null;
    for (const p of problems) if (!SUBSUMED.has(p.code)) emit({ field: p.field, code: p.code, message: p.message });
    const first = key ? seen.get(key) : undefined;
    if (first !== undefined) emit({ field: layer === 'grids' || layer === 'admin_areas' ? 'code' : 'id', code: 'DUPLICATE_ID', message: `${key} already appears in row ${first}; the first one counts.` });
    else if (key) seen.set(key, row);
    const flagged = problems.length === 0 ? NONE_FLAGGED : new Set(problems.map((p) => p.field));
    const classEntry = attributes.check(layer, value, flagged, emit);
    const g = value.geometry;
    const fields = value as unknown as Record<string, string | null>;
    if (checkGeometry(layer, g, emit) && g) {
      if (classEntry && !classEntry.geometryKinds.includes(kindOf(g))) {
        emit({ field: 'geometry', code: 'GEOMETRY_CLASS_KIND', message: `A ${classEntry.name} (${classEntry.typeCode}) is drawn as ${classEntry.geometryKinds.join(' or ')}, not as a ${g.type}.` });
      }
      const gridCode = fields.gridCode;
      if (componentGrid && gridCode && /^\d{14,15}$/.test(gridCode)) componentGrid.check(gridCode, g, emit);
      if (layer === 'grids' && key && first === undefined) {
        const communityCode = fields.communityCode || key.slice(0, 12);
        topology.push({ row, code: key, communityCode, geometry: g as Polygonal });
      }
    }
    return !builder.invalidRows.has(row);
  }

  function finish(): ValidationResult {
    if (layer === 'grids') gridTopology(context, topology, tol, builder);
    const report = builder.build(layer, rows, { gazetteer: context.gazetteer.source, dictionary: context.dictionary.versions });
    return { report, invalidRows: builder.invalidRows, rowlessErrors: builder.rowlessErrors };
  }
  return { add, finish };
}

function componentGridCheck(context: ValidationContext, toleranceM: number, builder: ReportBuilder): ComponentGridCheck | null {
  if (context.grids && context.grids.length > 0) return new ComponentGridCheck(context.grids, toleranceM);
  builder.skip('COMPONENT_OUTSIDE_GRID', 'No grids are known (none in the store or given), so components were not checked against the grid they name.');
  return null;
}

function gridTopology(context: ValidationContext, fileGrids: TopologyGrid[], tol: TopologyTolerances, builder: ReportBuilder): void {
  const inFile = new Set(fileGrids.map((g) => g.code));
  const kept = (context.grids ?? []).filter((g) => !inFile.has(g.code)).map((g) => ({ ...g, row: null }));
  const communities = context.communities ?? new Map<string, Polygonal>();
  if (communities.size === 0) {
    builder.skip('GRID_OUTSIDE_COMMUNITY, GRID_GAP', 'No community polygons are known (no 12-digit admin areas in the store), so containment and gaps were not checked.');
  }
  checkGridTopology([...fileGrids, ...kept], communities, tol, (p) => {
    if (p.code === 'GRID_COMMUNITY_NO_POLYGON' && communities.size === 0) return;
    builder.add(p);
  });
}

/** Validate a whole row stream. */
export async function validateRows<L extends MappableLayer>(
  layer: L, rows: AsyncIterable<MappedRow<L>> | Iterable<MappedRow<L>>, context: ValidationContext, options: ValidationOptions = {},
): Promise<ValidationResult> {
  const validator = createValidator(layer, context, options);
  for await (const row of rows) validator.add(row);
  return validator.finish();
}
