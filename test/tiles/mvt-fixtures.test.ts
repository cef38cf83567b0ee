import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { encodeTile, type MvtFeature, type MvtGeometry, type MvtLayer } from '../../tiles/mvt-writer.js';
import { decode, rawLayers, type XY } from '../fixtures/tiles/decode.js';

/**
 * mapbox/mvt-fixtures, read in place from shared/ (never copied into the repo; ODbL, © OpenStreetMap
 * contributors, Mapbox). Every fixture valid for spec v2 is decoded, re-encoded by Wanmi's writer and
 * decoded again: layers, ids, properties and geometry must survive. Byte equality is not the goal.
 */
const ROOT = new URL('../../../shared/data/mvt-fixtures/fixtures/', import.meta.url);

/** Fixtures with nothing our writer can express, and why. */
const NOT_REENCODABLE: Record<string, string> = {
  '057': 'a MoveTo count of 2^29 with one coordinate pair: a decoder robustness test, no real geometry',
};

interface Info { validity: { v2: boolean } }

const ids = readdirSync(fileURLToPath(ROOT)).filter((d) => /^\d{3}$/.test(d)).sort();
const valid = ids.filter((id) => (JSON.parse(readFileSync(new URL(`${id}/info.json`, ROOT), 'utf8')) as Info).validity.v2);

t.ok(valid.length >= 40, `found ${valid.length} valid v2 fixtures`);

/** Geometry as loadGeometry decodes it, back into the writer's input form. */
function toMvtGeometry(type: number, parts: XY[][]): MvtGeometry {
  const flat = (ring: XY[]) => ring.flat();
  if (type === 1) return { type: 'Point', points: parts.flat().flat() };
  if (type === 2) return { type: 'LineString', lines: parts.map(flat) };
  // Group rings into polygons by the fixture's own winding (first ring's sign = exterior).
  const polygons: number[][][] = [];
  let exteriorSign = 0;
  for (const ring of parts) {
    const sign = Math.sign(signed(ring));
    if (sign === 0) continue;
    if (exteriorSign === 0) exteriorSign = sign;
    if (sign === exteriorSign || polygons.length === 0) polygons.push([flat(ring)]);
    else polygons[polygons.length - 1].push(flat(ring));
  }
  return { type: 'Polygon', polygons };
}

function signed(ring: XY[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return sum;
}

interface Plain { name: string; extent: number; features: Array<{ id?: number; type: number; properties: unknown; geometry: XY[][] }> }

function plain(data: Uint8Array, keepUnknown: boolean): Plain[] {
  const vt = decode(data);
  return Object.values(vt.layers).map((l) => {
    const fs = [];
    for (let i = 0; i < l.length; i++) {
      const f = l.feature(i);
      if (!keepUnknown && f.type === 0) continue;
      fs.push({ id: f.id, type: f.type, properties: f.properties, geometry: f.loadGeometry().map((r) => r.map((p) => [p.x, p.y] as XY)) });
    }
    return { name: l.name, extent: l.extent, features: fs };
  });
}

for (const id of valid) {
  t.test(`fixture ${id} re-encodes to the same features`, { skip: NOT_REENCODABLE[id] ?? false }, async (t) => {
    const original = new Uint8Array(readFileSync(new URL(`${id}/tile.mvt`, ROOT)));
    // UNKNOWN (type 0) geometries have no encoding to write; layers left empty are not written (spec advice).
    const expected = plain(original, false).filter((l) => l.features.length > 0);
    const layers: MvtLayer[] = expected.map((l) => ({
      name: l.name, extent: l.extent,
      features: l.features.map((f): MvtFeature => ({
        id: f.id, properties: f.properties as MvtFeature['properties'], geometry: toMvtGeometry(f.type, f.geometry),
      })),
    }));
    const again = plain(encodeTile(layers), true);
    t.same(again, expected);
  });
}

t.test('command integers match the fixtures for the spec geometry examples', async (t) => {
  for (const id of ['017', '018', '019', '020', '021', '022', '053', '054', '055', '056']) {
    const original = new Uint8Array(readFileSync(new URL(`${id}/tile.mvt`, ROOT)));
    const json = JSON.parse(readFileSync(new URL(`${id}/tile.json`, ROOT), 'utf8')) as { layers: Array<{ features: Array<{ geometry: number[] }> }> };
    const again = encodeTile(plain(original, false).map((l) => ({
      name: l.name, extent: l.extent,
      features: l.features.map((f) => ({ id: f.id, properties: {}, geometry: toMvtGeometry(f.type, f.geometry) })),
    })));
    t.same(rawLayers(again)[0].features[0].geometry, json.layers[0].features[0].geometry, `fixture ${id}`);
  }
});

t.test('real-world Mapbox Streets tiles (chicago, sanfrancisco, compressed) re-encode feature for feature', async (t) => {
  const base = new URL('../../../shared/data/mvt-fixtures/real-world/', import.meta.url);
  let count = 0;
  for (const city of ['chicago', 'sanfrancisco', 'compressed']) {
    for (const file of readdirSync(new URL(`${city}/`, base)).filter((f) => /\.mvt(\.gz)?$/.test(f))) {
      const bytes = readFileSync(new URL(`${city}/${file}`, base));
      const original = new Uint8Array(file.endsWith('.gz') ? gunzipSync(bytes) : bytes);
      const expected = plain(original, false).filter((l) => l.features.length > 0);
      const again = plain(encodeTile(expected.map((l) => ({
        name: l.name, extent: l.extent,
        features: l.features.map((f) => ({ id: f.id, properties: f.properties as MvtFeature['properties'], geometry: toMvtGeometry(f.type, f.geometry) })),
      }))), true);
      // Compared as JSON text: tap's deep diff of ~16k features is slow, and a mismatch is rare enough to debug by hand.
      t.equal(JSON.stringify(again), JSON.stringify(expected), `${city}/${file}`);
      count += expected.reduce((n, l) => n + l.features.length, 0);
    }
  }
  t.ok(count > 10_000, `${count} features round-tripped`);
});
