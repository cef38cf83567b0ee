import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoCityData } from '../../src/service/demo-city.js';
import { writeCity, type CityData } from '../../src/store/city-writer.js';
import type { ClassEntry, Component, Geometry, Grid, Position } from '../../src/domain/types.js';
import type { TestStoreFactory } from './stores.js';
import { openStore, type Store } from '../../src/store/connect.js';

/**
 * Census-style fixtures built from the demo city (seeded, so row numbers and codes are stable):
 * GeoJSON files with the field names real deliveries use (BGCODE, ObjID, DeptCode1…), written to a
 * temporary folder per test. Not a test file itself (it has no tests; tap runs it as an empty file).
 */
let cached: { city: CityData; classes: ClassEntry[] } | null = null;

export function demo(): { city: CityData; classes: ClassEntry[] } {
  cached ??= buildDemoCityData({ scale: 0.05 });
  return cached;
}

/**
 * A fresh test store holding the small demo city, closed and removed when the test ends; with a
 * scratch folder for the files the test writes.
 */
export async function demoStoreForTest(t: { teardown(fn: () => unknown): void }, factory: TestStoreFactory): Promise<{ store: Store; dir: string }> {
  const ts = await factory.make();
  t.teardown(() => ts.cleanup());
  const store = await openStore(ts.config);
  t.teardown(() => store.close());
  const { city, classes } = demo();
  await writeCity(store.db, city, classes);
  return { store, dir: tmpDir(t) };
}

export function tmpDir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-import-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: Geometry | null;
}

const yyyymmdd = (iso: string | null) => (iso ? iso.replaceAll('-', '') : null);

export function gridFeature(g: Grid, props: Record<string, unknown> = {}): Feature {
  return {
    type: 'Feature',
    properties: { BGCODE: g.code, BGNAME: g.name, BGAREA: g.areaM2, ORDATE: yyyymmdd(g.initialDate), TERDATE: yyyymmdd(g.terminationDate), Note: g.note, ...props },
    geometry: g.geometry,
  };
}

export function componentFeature(c: Component, props: Record<string, unknown> = {}, geometry: Geometry | null = c.geometry): Feature {
  return {
    type: 'Feature',
    properties: {
      ObjID: c.id, ObjName: c.name, DeptCode1: c.competentUnit, DeptCode2: c.ownerUnit, DeptCode3: c.maintainerUnit,
      BGID: c.gridCode, ObjState: c.state, ORDate: yyyymmdd(c.initialDate), CHDate: yyyymmdd(c.changedDate),
      DataSource: c.dataSource, Note: c.note, ...c.extra, ...props,
    },
    geometry,
  };
}

/** Writes a FeatureCollection declared as CGCS2000 (so no datum assumption is involved). */
export function writeGeoJSON(dir: string, name: string, features: readonly Feature[]): string {
  const file = path.join(dir, name);
  const crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } };
  fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', crs, features }));
  return file;
}

/** A polygon's outer ring with its first two vertices after the start swapped: a bow-tie. */
export function bowTie(g: Grid): Geometry {
  const ring = (g.geometry.type === 'Polygon' ? g.geometry.coordinates[0] : g.geometry.coordinates[0][0]).slice();
  [ring[1], ring[2]] = [ring[2], ring[1]];
  return { type: 'Polygon', coordinates: [ring] };
}

/** A small square (side `d` degrees) centred on a point, counter-clockwise. */
export function square([x, y]: Position, d: number): Geometry {
  const h = d / 2;
  return { type: 'Polygon', coordinates: [[[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h], [x - h, y - h]]] };
}

/** The vertex average of a grid's outer ring: inside it for the demo's convex-ish cells. */
export function centreOf(g: Grid): Position {
  const ring = g.geometry.type === 'Polygon' ? g.geometry.coordinates[0] : g.geometry.coordinates[0][0];
  const n = ring.length - 1;
  return [ring.slice(0, n).reduce((s, p) => s + p[0], 0) / n, ring.slice(0, n).reduce((s, p) => s + p[1], 0) / n];
}
