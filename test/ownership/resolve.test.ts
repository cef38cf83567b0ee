import t from 'tap';
import { readFileSync } from 'node:fs';
import { TerritoryIndex } from '../../src/index/territory.js';
import { ComponentIndex } from '../../src/index/component-index.js';
import { ZoneIndex } from '../../src/index/zone-index.js';
import { resolveOwnership, type OwnershipContext, type OwnershipRequest } from '../../src/ownership/resolve.js';
import { loadResponsibilityList, type ResponsibilityListData } from '../../src/ownership/responsibility-list.js';
import type { AdminArea, Grid, Component, Zone, Unit } from '../../src/domain/types.js';

interface FixtureCity {
  adminAreas: AdminArea[]; grids: Grid[]; components: Component[]; zones: Zone[]; units: Unit[];
  responsibility: ResponsibilityListData;
}
const city: FixtureCity = JSON.parse(readFileSync(new URL('../fixtures/ownership/city.json', import.meta.url), 'utf8'));
const units = new Map(city.units.map((u) => [u.code, u]));

function context(list: ResponsibilityListData = city.responsibility): OwnershipContext {
  return {
    territory: new TerritoryIndex(city.adminAreas, city.grids),
    components: new ComponentIndex(city.components),
    zones: new ZoneIndex(city.zones),
    units,
    list: loadResponsibilityList(list, (c) => units.has(c)),
  };
}
const ctx = context();
const who = (req: OwnershipRequest, c = ctx) => resolveOwnership(c, req).responsible.map((r) => `${r.role}:${r.unit.code}`);
const TERRITORY = ['street_office:330102010', 'community:330102010001', 'district:330102'];

t.test('component: maintainer → owner → competent department (先属主)', async (t) => {
  const a = resolveOwnership(ctx, { lon: 120.20031, lat: 30.2705, kind: 'component', typeCode: '0118' });
  t.same(a.responsible.map((r) => `${r.role}:${r.unit.code}`), ['maintainer:U_MAINT', 'owner:U_OWNER', 'competent:U_COMP']);
  t.same(a.responsible.map((r) => r.rank), [1, 2, 3]);
  t.equal(a.component?.id, '3301020118000001');
  t.ok(a.component!.distanceM > 0 && a.component!.distanceM < 2);
  t.equal(a.responsible[0].evidence.componentId, '3301020118000001');
  t.equal(a.responsible[0].rule, 'component.maintainer');
  t.equal(a.ambiguous, false);
});

t.test('component with only a competent department', async (t) => {
  t.same(who({ lon: 120.2017, lat: 30.27051, kind: 'component', typeCode: '0118' }), ['competent:U_COMP']);
});

t.test('ownerless class 0114 → the territory (属地兜底)', async (t) => {
  const a = resolveOwnership(ctx, { lon: 120.2005, lat: 30.27021, kind: 'component', typeCode: '0114' });
  t.same(a.responsible.map((r) => `${r.role}:${r.unit.code}`), TERRITORY);
  t.equal(a.responsible[0].rule, 'component.territorial_fallback');
  t.ok(a.explain.find((e) => e.rule === 'component.ownerless_class')?.matched);
});

t.test('a component with no unit recorded → the territory', async (t) => {
  t.same(who({ lon: 120.2015, lat: 30.2702, kind: 'component', typeCode: '0101' }), TERRITORY.map((s) => s.replace('330102010001', '330102010001')));
});

t.test('no component of the class within tolerance → the territory, component null', async (t) => {
  const a = resolveOwnership(ctx, { lon: 120.2009, lat: 30.2709, kind: 'component', typeCode: '0118' });
  t.equal(a.component, null);
  t.same(a.candidates, []);
  t.same(a.responsible.map((r) => r.role), ['street_office', 'community', 'district']);
  t.match(a.explain[0].reason, /no component of class 0118 within 10 m/);
});

t.test('several candidates within tolerance: ranked, flagged ambiguous', async (t) => {
  const a = resolveOwnership(ctx, { lon: 120.20121, lat: 30.2708, kind: 'component', typeCode: '0102' });
  t.equal(a.ambiguous, true);
  t.same(a.candidates.map((c) => c.id), ['3301020102000001', '3301020102000002']);
  t.ok(a.candidates[0].distanceM <= a.candidates[1].distanceM);
  t.same(a.responsible.map((r) => `${r.role}:${r.unit.code}`), ['owner:U_OWNER']);
});

t.test('a clear nearest is not ambiguous; a close runner-up is', async (t) => {
  const wide = context({ ...city.responsibility, tolerances: { default: 200 } });
  const a = resolveOwnership(wide, { lon: 120.20031, lat: 30.2705, kind: 'component', typeCode: '0118' });
  t.equal(a.candidates.length, 2, 'both lamps are within 200 m');
  t.equal(a.ambiguous, false, 'but the second is ~130 m farther');
  const tight = context({ ...city.responsibility, tolerances: { default: 200, ambiguityMargin: 500 } });
  t.equal(resolveOwnership(tight, { lon: 120.20031, lat: 30.2705, kind: 'component', typeCode: '0118' }).ambiguous, true);
});

t.test('by component id, wherever the point is', async (t) => {
  const a = resolveOwnership(ctx, { lon: 120.2019, lat: 30.2709, kind: 'component', componentId: '3301020118000001' });
  t.equal(a.component?.id, '3301020118000001');
  t.ok(a.component!.distanceM > 100);
  t.throws(() => resolveOwnership(ctx, { lon: 120.2019, lat: 30.2709, kind: 'component', componentId: '3301020118999999' }),
    { code: 'COMPONENT_NOT_FOUND' });
});

t.test('event assigned to a line department, then the zone, then the territory (先属地后属主 with exceptions)', async (t) => {
  t.same(who({ lon: 120.2015, lat: 30.2705, kind: 'event', typeCode: '0402' }), ['department:U_WATER', 'zone:U_DEV', ...TERRITORY]);
});

t.test('overlapping zones both covering the class, in zone id order', async (t) => {
  t.same(who({ lon: 120.2005, lat: 30.2705, kind: 'event', typeCode: '0102' }), ['zone:U_PARK', 'zone:U_DEV', ...TERRITORY]);
});

t.test('a zone covering only other classes does not override', async (t) => {
  const a = resolveOwnership(ctx, { lon: 120.2003, lat: 30.2705, kind: 'event', typeCode: '0501' });
  t.same(a.responsible.map((r) => r.role), ['street_office', 'community', 'district']);
  t.match(a.explain.find((e) => e.rule === 'event.zone')!.reason, /no zone of an overriding kind covers class 0501/);
});

t.test('in the hole of a zone: the territory', async (t) => {
  t.same(who({ lon: 120.20015, lat: 30.27015, kind: 'event', typeCode: '0102' }), TERRITORY);
});

t.test('events take the grid on a shared edge by the boundary rule', async (t) => {
  const a = resolveOwnership(ctx, { lon: 120.201, lat: 30.2709, kind: 'event', typeCode: '0102' });
  t.equal(a.territory?.grid?.code, '330102010001002', 'the grid east of the edge');
  t.equal(a.responsible.at(-1)?.evidence.gridCode, '330102010001002');
});

t.test('a city override of the responsibility list', async (t) => {
  const city2 = context({ ...city.responsibility, eventTerritory: 'community', zoneKinds: [], eventDepartments: [{ classes: ['01'], unit: 'U_COMP' }] });
  t.same(who({ lon: 120.2005, lat: 30.2705, kind: 'event', typeCode: '0102' }, city2),
    ['department:U_COMP', 'community:330102010001', 'street_office:330102010', 'district:330102']);
  const strict = context({ ...city.responsibility, tolerances: { default: 0.5 } });
  t.equal(resolveOwnership(strict, { lon: 120.20031, lat: 30.2705, kind: 'component', typeCode: '0118' }).component, null,
    'a tighter tolerance finds no component 1 m away');
});

t.test('a list naming an unknown unit is refused at load', async (t) => {
  t.throws(() => context({ ...city.responsibility, eventDepartments: [{ classes: ['0402'], unit: 'NOPE' }] }), /no unit with code NOPE/);
});

t.test('outside the managed area, and missing class', async (t) => {
  t.throws(() => resolveOwnership(ctx, { lon: 121, lat: 31, kind: 'event', typeCode: '0102' }),
    { code: 'OUTSIDE_AREA' });
  t.throws(() => resolveOwnership(ctx, { lon: 120.2005, lat: 30.2705, kind: 'event' }),
    { code: 'CLASS_REQUIRED' });
  t.throws(() => resolveOwnership(ctx, { lon: 120.2005, lat: 30.2705, kind: 'component' }),
    { code: 'CLASS_REQUIRED' });
});

t.test('every answer explains each rule tried', async (t) => {
  const a = resolveOwnership(ctx, { lon: 120.2015, lat: 30.2705, kind: 'event', typeCode: '0402' });
  t.same(a.explain.map((e) => [e.rule, e.matched]), [['event.class_department', true], ['event.zone', true], ['event.territory', true]]);
});
