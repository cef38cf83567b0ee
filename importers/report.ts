import { CODE_PROBLEMS } from '../src/domain/codes.js';
import { DEFAULT_SEVERITY, type Severity } from '../src/domain/reference.js';
import { MAPPING_PROBLEMS } from './field-mapping.js';

/**
 * The validation report: every problem with its row, feature id, field, stable code, severity and a
 * message in plain words; exact counts per code; a verdict. The problem list is capped (a census with a
 * wrong column can fail on every one of a million rows), the counts never are.
 *
 * Codes come from three tables — format (codes.ts), reference (reference.ts), field mapping
 * (field-mapping.ts) — plus the validation codes below. The table of all of them is docs/import-report.md.
 */
export type { Severity } from '../src/domain/reference.js';

/** Stable codes of the validation stage; never renamed or reused (same rule as codes.ts). */
export const VALIDATION_PROBLEMS = {
  /** A key (component id, grid code…) appears twice in the file; the later row is refused. */
  DUPLICATE_ID: 'DUPLICATE_ID',
  /** A key field the mapping does not require (address, road, zone id) is blank. */
  ATTR_REQUIRED: 'ATTR_REQUIRED',
  /** A field the standard lists as mandatory (名称, 主管部门, 所在单元网格, 状态, 初始日期) is blank. */
  ATTR_MISSING: 'ATTR_MISSING',
  /** A change or termination date comes before the initial date. */
  DATE_ORDER: 'DATE_ORDER',
  /** A date lies in the future. */
  DATE_FUTURE: 'DATE_FUTURE',
  /** 部件状态 outside the configured values (完好/破损/丢失/占用/废弃/移除). */
  COMPONENT_STATE_UNKNOWN: 'COMPONENT_STATE_UNKNOWN',
  /** The grid a component names is not among the grids in the store (or given for the check). */
  COMPONENT_GRID_UNKNOWN: 'COMPONENT_GRID_UNKNOWN',
  /** The component does not lie in (or touch) the grid it names. */
  COMPONENT_OUTSIDE_GRID: 'COMPONENT_OUTSIDE_GRID',
  /** An address's street code does not start with its district code, or its community with its street. */
  ADMIN_HIERARCHY_MISMATCH: 'ADMIN_HIERARCHY_MISMATCH',
  /** A responsibility zone names an event class that is not in the dictionary. */
  ZONE_CLASS_UNKNOWN: 'ZONE_CLASS_UNKNOWN',
  /** The row has no geometry (null shape, CSV row without coordinates). */
  GEOMETRY_MISSING: 'GEOMETRY_MISSING',
  /** The geometry type does not fit the layer (a grid that is not a polygon…). */
  GEOMETRY_TYPE: 'GEOMETRY_TYPE',
  /** The component's geometry kind (point/line/polygon) is not allowed for its class. */
  GEOMETRY_CLASS_KIND: 'GEOMETRY_CLASS_KIND',
  /** No coordinates, a line under 2 positions, a ring under 4. */
  GEOMETRY_EMPTY: 'GEOMETRY_EMPTY',
  /** A coordinate is not a finite lon/lat in [-180, 180] × [-90, 90]. */
  GEOMETRY_BAD_COORDINATE: 'GEOMETRY_BAD_COORDINATE',
  /** A polygon ring does not end where it starts. */
  GEOMETRY_RING_UNCLOSED: 'GEOMETRY_RING_UNCLOSED',
  /** A polygon's boundary crosses or touches itself (a bow-tie, a ring through its own vertex). */
  GEOMETRY_SELF_INTERSECTION: 'GEOMETRY_SELF_INTERSECTION',
  /** A polygon encloses (almost) no area. */
  GEOMETRY_ZERO_AREA: 'GEOMETRY_ZERO_AREA',
  /** Two grids share more than the overlap tolerance of area. */
  GRID_OVERLAP: 'GRID_OVERLAP',
  /** The grids of a community leave more than the gap tolerance of its area uncovered. */
  GRID_GAP: 'GRID_GAP',
  /** A grid reaches outside its community's polygon by more than the tolerance. */
  GRID_OUTSIDE_COMMUNITY: 'GRID_OUTSIDE_COMMUNITY',
  /** A grid's community has no polygon in the store, so containment and gaps were not checked there. */
  GRID_COMMUNITY_NO_POLYGON: 'GRID_COMMUNITY_NO_POLYGON',
} as const;

export type ValidationProblemCode = (typeof VALIDATION_PROBLEMS)[keyof typeof VALIDATION_PROBLEMS];

/**
 * Default severities. Overlaps are errors: a point in two grids has two owners. Gaps and grids leaving
 * their community are warnings by default: community polygons usually come from another survey (民政)
 * than the grids (城管), so slivers are common, and a lookup in a gap still answers from the admin
 * polygons. A city that wants them to block passes `severity: { GRID_GAP: 'error' }`.
 */
export const VALIDATION_SEVERITY: Readonly<Record<ValidationProblemCode, Severity>> = {
  DUPLICATE_ID: 'error',
  ATTR_REQUIRED: 'error',
  ATTR_MISSING: 'warning',
  DATE_ORDER: 'error',
  DATE_FUTURE: 'warning',
  COMPONENT_STATE_UNKNOWN: 'warning',
  COMPONENT_GRID_UNKNOWN: 'error',
  COMPONENT_OUTSIDE_GRID: 'error',
  ADMIN_HIERARCHY_MISMATCH: 'error',
  ZONE_CLASS_UNKNOWN: 'warning',
  GEOMETRY_MISSING: 'error',
  GEOMETRY_TYPE: 'error',
  GEOMETRY_CLASS_KIND: 'error',
  GEOMETRY_EMPTY: 'error',
  GEOMETRY_BAD_COORDINATE: 'error',
  GEOMETRY_RING_UNCLOSED: 'error',
  GEOMETRY_SELF_INTERSECTION: 'error',
  GEOMETRY_ZERO_AREA: 'error',
  GRID_OVERLAP: 'error',
  GRID_GAP: 'warning',
  GRID_OUTSIDE_COMMUNITY: 'warning',
  GRID_COMMUNITY_NO_POLYGON: 'warning',
};

/** Severity of every code the report can hold; format problems are always errors. */
export const DEFAULT_PROBLEM_SEVERITY: Readonly<Record<string, Severity>> = {
  ...Object.fromEntries(Object.keys(CODE_PROBLEMS).map((c) => [c, 'error' as Severity])),
  ...DEFAULT_SEVERITY,
  [MAPPING_PROBLEMS.MAP_REQUIRED_MISSING]: 'error',
  [MAPPING_PROBLEMS.MAP_BAD_DATE]: 'error',
  // A bad area is recomputed from the geometry, so it cannot corrupt anything.
  [MAPPING_PROBLEMS.MAP_BAD_NUMBER]: 'warning',
  ...VALIDATION_SEVERITY,
};

export interface ReportProblem {
  /** 1-based source row (shapefile record, CSV data row, GeoJSON feature); null for a community-wide problem. */
  row: number | null;
  /** The feature's id or code as delivered (a community code for GRID_GAP); null when blank. */
  featureId: string | null;
  field?: string;
  code: string;
  severity: Severity;
  message: string;
}

export interface ValidationReport {
  layer: string;
  /** rejected: at least one error; warnings: only warnings; ok: nothing to say. */
  verdict: 'ok' | 'warnings' | 'rejected';
  counts: {
    rows: number;
    /** Rows without an error (they may have warnings). */
    valid: number;
    /** Rows with at least one error. */
    invalid: number;
    /** Rows with at least one warning. */
    warnings: number;
  };
  /** Exact number of problems per code, whatever the cap on `problems`. */
  byCode: Record<string, number>;
  /** Problems in the order found (row checks first, then the cross-row checks), up to `maxProblems`. */
  problems: ReportProblem[];
  truncated: boolean;
  maxProblems: number;
  /** Checks that could not run, and why (e.g. no grids to check components against). */
  checksSkipped: Array<{ check: string; reason: string }>;
  /** The dated gazetteer and the dictionary versions the codes were checked against. */
  references: { gazetteer: string; dictionary: readonly string[] };
}

export type ProblemInput = Omit<ReportProblem, 'severity'> & { severity?: Severity };

/** Collects problems with exact counts and a capped list; remembers which rows have errors. */
export class ReportBuilder {
  readonly invalidRows = new Set<number>();
  private readonly warnedRows = new Set<number>();
  private readonly byCode: Record<string, number> = {};
  private readonly problems: ReportProblem[] = [];
  private readonly skipped: ValidationReport['checksSkipped'] = [];
  private truncated = false;
  private blocking = 0;
  private warningCount = 0;

  constructor(
    private readonly maxProblems: number,
    private readonly severity: Partial<Record<string, Severity>> = {},
  ) {}

  severityOf(code: string, given?: Severity): Severity {
    return this.severity[code] ?? given ?? DEFAULT_PROBLEM_SEVERITY[code] ?? 'error';
  }

  add(p: ProblemInput): Severity {
    // An explicit override wins over the severity a reference check computed.
    const severity = this.severityOf(p.code, p.severity);
    this.byCode[p.code] = (this.byCode[p.code] ?? 0) + 1;
    if (p.row !== null) (severity === 'error' ? this.invalidRows : this.warnedRows).add(p.row);
    else if (severity === 'error') this.blocking++;
    if (severity === 'warning') this.warningCount++;
    if (this.problems.length < this.maxProblems) this.problems.push({ ...p, severity });
    else this.truncated = true;
    return severity;
  }

  skip(check: string, reason: string): void {
    this.skipped.push({ check, reason });
  }

  /** Errors not tied to a row (a gap in a community) cannot be skipped with --skip-invalid. */
  get rowlessErrors(): number {
    return this.blocking;
  }

  build(layer: string, rows: number, references: ValidationReport['references']): ValidationReport {
    const invalid = this.invalidRows.size;
    const hasError = invalid > 0 || this.blocking > 0;
    return {
      layer,
      verdict: hasError ? 'rejected' : this.warningCount > 0 ? 'warnings' : 'ok',
      counts: { rows, valid: rows - invalid, invalid, warnings: this.warnedRows.size },
      byCode: { ...this.byCode },
      problems: this.problems,
      truncated: this.truncated,
      maxProblems: this.maxProblems,
      checksSkipped: [...this.skipped],
      references,
    };
  }
}
