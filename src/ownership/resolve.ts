import type { Unit } from '../domain/types.js';
import type { TerritoryIndex, Territory, AreaRef } from '../index/territory.js';
import type { ComponentIndex, ComponentRef } from '../index/component-index.js';
import { zoneCovers, type ZoneIndex, type ZoneRef } from '../index/zone-index.js';
import type { ResponsibilityList } from './responsibility-list.js';

/**
 * Ownership resolution: who must handle a problem at a point (standards.md §5).
 *
 *   component (部件): owner first, then territory (先属主、后属地)
 *       identify the component (by id, or the nearest of the class within the class's tolerance)
 *       → 养护单位 maintainer → 权属单位 owner → 主管部门 competent department
 *       → none of them, or an ownerless class (0114 无主井盖) → the territory (属地兜底)
 *   event (事件): territory first, then owner (先属地、后属主)
 *       a class assigned to a line department by the responsibility list → that department
 *       → a responsibility zone of an overriding kind covering the point and the class → its unit
 *       → the street office (or community, per the list) → the community → the district
 *
 * Pure: everything comes in through OwnershipContext, so the rules are tested without HTTP or a store.
 */
export interface OwnershipContext {
  territory: TerritoryIndex;
  components: ComponentIndex;
  zones: ZoneIndex;
  units: ReadonlyMap<string, Unit>;
  list: ResponsibilityList;
}

export type OwnershipKind = 'component' | 'event';
export type Role = 'maintainer' | 'owner' | 'competent' | 'department' | 'zone' | 'street_office' | 'community' | 'district';
export type RuleId =
  | 'component.identified' | 'component.maintainer' | 'component.owner' | 'component.competent'
  | 'component.ownerless_class' | 'component.territorial_fallback'
  | 'event.class_department' | 'event.zone' | 'event.territory';

export interface Evidence {
  componentId?: string;
  distanceM?: number;
  zoneId?: string;
  zoneName?: string;
  gridCode?: string | null;
  listKey?: string;
  listVersion?: string;
}

export interface ResponsibleUnit {
  rank: number;
  role: Role;
  unit: { code: string; name: string; kind: string; contact: string | null };
  rule: RuleId;
  evidence: Evidence;
}

export interface Candidate extends ComponentRef {
  distanceM: number;
}

export interface RuleTrace {
  rule: RuleId;
  matched: boolean;
  reason: string;
}

export interface OwnershipRequest {
  lon: number;
  lat: number;
  kind: OwnershipKind;
  /** 4- or 5-digit type code of the component or event class. */
  typeCode?: string;
  componentId?: string;
}

export interface OwnershipAnswer {
  territory: Territory | null;
  component: Candidate | null;
  candidates: Candidate[];
  ambiguous: boolean;
  responsible: ResponsibleUnit[];
  explain: RuleTrace[];
}

/** Classes whose components have no owner by definition. */
const OWNERLESS_CLASSES = new Set(['0114']);

export class OwnershipError extends Error {
  constructor(readonly code: 'COMPONENT_NOT_FOUND' | 'OUTSIDE_AREA' | 'CLASS_REQUIRED', message: string) {
    super(message);
  }
}

export function resolveOwnership(ctx: OwnershipContext, req: OwnershipRequest): OwnershipAnswer {
  const territory = ctx.territory.locate(req.lon, req.lat);
  const answer = req.kind === 'component' ? resolveComponent(ctx, req, territory) : resolveEvent(ctx, req, territory);
  if (!territory && answer.responsible.length === 0) {
    throw new OwnershipError('OUTSIDE_AREA', `(${req.lon}, ${req.lat}) is outside the managed area`);
  }
  answer.responsible.forEach((r, i) => (r.rank = i + 1));
  return answer;
}

function resolveComponent(ctx: OwnershipContext, req: OwnershipRequest, territory: Territory | null): OwnershipAnswer {
  const explain: RuleTrace[] = [];
  const { component, candidates } = identify(ctx, req, explain);
  const out = new Responsibles(ctx);
  if (component && OWNERLESS_CLASSES.has(component.typeCode)) {
    explain.push({ rule: 'component.ownerless_class', matched: true, reason: `class ${component.typeCode} is ownerless by definition` });
  } else if (component) {
    const evidence = { componentId: component.id, distanceM: component.distanceM };
    const chain: Array<[Role, RuleId, string | null, string]> = [
      ['maintainer', 'component.maintainer', component.maintainerUnit, '养护单位'],
      ['owner', 'component.owner', component.ownerUnit, '权属单位'],
      ['competent', 'component.competent', component.competentUnit, '主管部门'],
    ];
    for (const [role, rule, code, label] of chain) {
      const added = code ? out.add(role, code, rule, evidence) : false;
      explain.push({ rule, matched: added, reason: code ? (added ? `${label} ${code}` : `${label} ${code} is already listed`) : `no ${label} recorded` });
    }
  }
  const fallback = out.size === 0;
  explain.push({
    rule: 'component.territorial_fallback', matched: fallback && territory !== null,
    reason: fallback ? (territory ? 'no owner side unit: the territory handles it (属地兜底)' : 'no owner side unit and the point is outside the managed area') : 'an owner side unit was found',
  });
  if (fallback && territory) out.addTerritory(territory, 'street', 'component.territorial_fallback');
  const ambiguous = candidates.length > 1 && candidates[1].distanceM - candidates[0].distanceM < ctx.list.ambiguityMargin;
  return { territory, component, candidates, ambiguous, responsible: out.list, explain };
}

function resolveEvent(ctx: OwnershipContext, req: OwnershipRequest, territory: Territory | null): OwnershipAnswer {
  if (!req.typeCode) throw new OwnershipError('CLASS_REQUIRED', 'an event needs its class (4- or 5-digit type code)');
  const explain: RuleTrace[] = [];
  const out = new Responsibles(ctx);
  const gridCode = territory?.grid?.code ?? null;
  const dept = ctx.list.eventDepartment(req.typeCode);
  if (dept) out.add('department', dept.unit, 'event.class_department', { listKey: dept.key, listVersion: ctx.list.data.version, gridCode });
  explain.push({
    rule: 'event.class_department', matched: dept !== undefined,
    reason: dept ? `the responsibility list assigns class ${dept.key} to ${dept.unit}` : `the responsibility list assigns class ${req.typeCode} to no department`,
  });
  const zones = ctx.zones.containing(req.lon, req.lat);
  const overriding = zones.filter((z) => ctx.list.zoneKindOverrides(z.kind) && zoneCovers(z, req.typeCode!));
  for (const z of overriding) out.add('zone', z.responsibleUnit, 'event.zone', { zoneId: z.id, zoneName: z.name, gridCode });
  explain.push({ rule: 'event.zone', matched: overriding.length > 0, reason: zoneReason(zones, overriding, req.typeCode) });
  explain.push({ rule: 'event.territory', matched: territory !== null, reason: territory ? `grid ${gridCode ?? '(none)'} of ${territory.street?.name ?? '?'}` : 'outside the managed area' });
  if (territory) out.addTerritory(territory, ctx.list.data.eventTerritory, 'event.territory');
  return { territory, component: null, candidates: [], ambiguous: false, responsible: out.list, explain };
}

/**
 * The territorial units of a point with no class given (reverse geocoding): street office, community and
 * district in the responsibility list's order for events. With a class, resolveOwnership says more.
 */
export function territorialUnits(ctx: OwnershipContext, territory: Territory | null): ResponsibleUnit[] {
  if (!territory) return [];
  const out = new Responsibles(ctx);
  out.addTerritory(territory, ctx.list.data.eventTerritory, 'event.territory');
  out.list.forEach((r, i) => (r.rank = i + 1));
  return out.list;
}

/** Finds the reported component: by id, or the nearest of the class within the class's tolerance. */
function identify(ctx: OwnershipContext, req: OwnershipRequest, explain: RuleTrace[]) {
  const { components } = ctx;
  if (req.componentId) {
    const i = components.indexOf(req.componentId);
    if (i < 0) throw new OwnershipError('COMPONENT_NOT_FOUND', `no component with id ${req.componentId}`);
    const c = { ...components.ref(i), distanceM: round(components.distanceTo(i, req.lon, req.lat)) };
    explain.push({ rule: 'component.identified', matched: true, reason: `by id, ${c.distanceM} m from the point` });
    return { component: c, candidates: [c] };
  }
  if (!req.typeCode) throw new OwnershipError('CLASS_REQUIRED', 'a component needs componentId or its class');
  const tolerance = ctx.list.toleranceFor(req.typeCode);
  const hits = components.nearby(req.lon, req.lat, { radius: tolerance, limit: 5, typeCode: req.typeCode });
  const candidates = hits.map((h) => ({ ...components.ref(h.index), distanceM: round(h.distance) }));
  explain.push({
    rule: 'component.identified', matched: candidates.length > 0,
    reason: candidates.length === 0
      ? `no component of class ${req.typeCode} within ${tolerance} m`
      : `${candidates.length} component(s) of class ${req.typeCode} within ${tolerance} m; nearest ${candidates[0].id} at ${candidates[0].distanceM} m` +
        (candidates.length > 1 ? `, next at ${candidates[1].distanceM} m` : ''),
  });
  return { component: candidates[0] ?? null, candidates };
}

/** Collects responsible units in order, once each. */
class Responsibles {
  readonly list: ResponsibleUnit[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly ctx: OwnershipContext) {}

  get size(): number {
    return this.list.length;
  }

  add(role: Role, code: string, rule: RuleId, evidence: Evidence, fallbackName?: string): boolean {
    if (this.seen.has(code)) return false;
    this.seen.add(code);
    const u = this.ctx.units.get(code);
    const unit = u ? { code, name: u.name, kind: u.kind, contact: u.contact } : { code, name: fallbackName ?? code, kind: role, contact: null };
    this.list.push({ rank: 0, role, unit, rule, evidence });
    return true;
  }

  /** Street office and community (in the list's order), then the district. */
  addTerritory(t: Territory, first: 'street' | 'community', rule: RuleId): void {
    const evidence = { gridCode: t.grid?.code ?? null };
    const street = (a: AreaRef) => this.add('street_office', a.code, rule, evidence, `${a.name}办事处`);
    const community = (a: AreaRef) => this.add('community', a.code, rule, evidence, `${a.name}居民委员会`);
    const order = first === 'street' ? [() => t.street && street(t.street), () => t.community && community(t.community)]
      : [() => t.community && community(t.community), () => t.street && street(t.street)];
    order.forEach((f) => f());
    if (t.district) this.add('district', t.district.code, rule, evidence, `${t.district.name}人民政府`);
  }
}

function zoneReason(all: readonly ZoneRef[], overriding: readonly ZoneRef[], typeCode: string): string {
  if (overriding.length) return `inside ${overriding.map((z) => `${z.name} (${z.kind})`).join(', ')}, covering class ${typeCode}`;
  if (all.length) return `inside ${all.map((z) => z.name).join(', ')}, but no zone of an overriding kind covers class ${typeCode}`;
  return 'inside no responsibility zone';
}

function round(m: number): number {
  return Math.round(m * 100) / 100;
}
