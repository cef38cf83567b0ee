import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StoredFeature } from '../import-layers.js';
import { rewind } from '../geometry.js';
import { EXPORT_FIELDS } from './schema.js';
import { textOf } from './survey.js';
import type { ExportResult, WriterInput } from './types.js';

/**
 * A layer as one GeoJSON FeatureCollection, streamed feature by feature (a million components never
 * become one string). Polygons are wound the RFC 7946 way (outer counter-clockwise).
 *
 * Coordinates stay CGCS2000 lon/lat, as stored — RFC 7946 assumes WGS84, but the two frames differ by
 * a few centimetres, far below what a census survey or a web map resolves, and converting would make
 * an export → import round trip inexact. The file says so with the 2008-style member
 * `"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}}`: GDAL, QGIS and
 * Wanmi's importer read it as CGCS2000; strict RFC 7946 readers ignore it.
 */
export const CGCS2000_CRS_MEMBER = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } };

function properties(input: WriterInput, f: StoredFeature): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const field of EXPORT_FIELDS[input.layer]) props[field.name] = field.value(f) ?? null;
  // Extras keep their names and JSON types; one that clashes with a census name gets a suffix.
  for (const [key, v] of Object.entries((f.extra as Record<string, unknown> | undefined) ?? {})) {
    let name = key;
    for (let n = 2; name in props; n++) name = `${key}_${n}`;
    props[name] = v === undefined ? null : typeof v === 'object' && v !== null ? textOf(v) : v;
  }
  return props;
}

async function* chunks(input: WriterInput, counter: { n: number }): AsyncGenerator<string> {
  yield `{"type":"FeatureCollection","name":${JSON.stringify(input.layer)},"crs":${JSON.stringify(CGCS2000_CRS_MEMBER)},"features":[\n`;
  let batch: string[] = [];
  for await (const f of input.features()) {
    batch.push(JSON.stringify({ type: 'Feature', properties: properties(input, f), geometry: rewind(f.geometry) }));
    counter.n++;
    if (batch.length === 1000) {
      yield `${counter.n > 1000 ? ',\n' : ''}${batch.join(',\n')}`;
      batch = [];
    }
  }
  if (batch.length > 0) yield `${counter.n > batch.length ? ',\n' : ''}${batch.join(',\n')}`;
  yield '\n]}\n';
}

export async function writeGeoJson(out: string, input: WriterInput): Promise<ExportResult> {
  const counter = { n: 0 };
  await pipeline(Readable.from(chunks(input, counter)), createWriteStream(out));
  return { files: [out], count: counter.n, warnings: [] };
}
