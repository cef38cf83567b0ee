import path from 'node:path';
import { open } from 'node:fs/promises';
import StreamJson from 'stream-json';
import { labelOf, parseCrsSpec, type CrsSpec } from '../src/crs/index.js';
import { chooseEncoding, validUtf8 } from './encoding.js';
import { ImportError, show, type ImportWarning } from './errors.js';
import { geojsonEventStream, type GeoJsonEvent } from './geojson-events.js';
import { parseGeometry } from './geojson-geometry.js';
import { mapPositions, rewind } from './geometry.js';
import { tooManyRecords, type ReadLimits } from './limits.js';
import { resolveCrs, type ResolvedCrs } from './source-crs.js';
import { fileStreams, iterateStreams, readHead, utf8From } from './text-stream.js';
import type { RawRecord, ReadOptions, Source, SourceField } from './types.js';

/**
 * GeoJSON (RFC 7946, and the 2008 form with a `crs` member), streamed: stream-json tokenizes, the
 * features array is assembled one feature at a time, so a 100 MB FeatureCollection never sits in memory.
 * A first, short pass reads the members before the first feature (type, crs) and that feature's
 * properties (the field list); a crs member written after the features is checked at the end of the
 * main pass and fails it if it contradicts what was assumed.
 */
interface Layout {
  file: string;
  encoding: string;
  crs: ResolvedCrs;
  crsText: string | null;
  limits: ReadLimits;
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

function events(file: string, encoding: string): AsyncGenerator<GeoJsonEvent> {
  const parser = StreamJson.parser({ packKeys: true, packStrings: true, packNumbers: true, streamValues: false });
  return iterateStreams<GeoJsonEvent>([...fileStreams(file), utf8From(encoding), parser, geojsonEventStream(file)]);
}

/** The legacy crs member's name: {"type":"name","properties":{"name":"EPSG:…"}} or {"type":"EPSG","properties":{"code":…}}. */
function crsMemberText(member: unknown): string {
  const m = member as { type?: unknown; properties?: { name?: unknown; code?: unknown } } | null;
  if (m?.type === 'name' && typeof m.properties?.name === 'string') return m.properties.name;
  if (m?.type === 'EPSG' && m.properties?.code !== undefined) return `EPSG:${String(m.properties.code)}`;
  return JSON.stringify(member);
}

interface Sniffed { members: Map<string, unknown>; first: unknown; hasFeatures: boolean }

/** The short first pass: members up to the first feature, and that feature. */
async function sniff(file: string, encoding: string): Promise<Sniffed> {
  const members = new Map<string, unknown>();
  let hasFeatures = false;
  let first: unknown;
  for await (const e of guarded(events(file, encoding), file)) {
    if (e.kind === 'member') members.set(e.key, e.value);
    else if (e.kind === 'featuresStart') hasFeatures = true;
    else {
      first = e.value;
      break;
    }
  }
  return { members, first, hasFeatures };
}

function kindOf(s: Sniffed, file: string): 'collection' | 'feature' | 'geometry' {
  const type = s.members.get('type');
  if (s.hasFeatures || type === 'FeatureCollection') return 'collection';
  if (type === 'Feature') return 'feature';
  if (typeof type === 'string' && GEOMETRY_TYPES.has(type)) return 'geometry';
  throw new ImportError('IMPORT_BAD_GEOJSON', `The file is JSON but not GeoJSON (type ${show(String(type))}).`, { file });
}

function fieldsOf(properties: unknown): SourceField[] {
  if (!properties || typeof properties !== 'object') return [];
  return Object.entries(properties as Record<string, unknown>).map(([name, v]) => ({
    name,
    type: typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'unknown',
  }));
}

export async function openGeoJson(file: string, options: ReadOptions, limits: ReadLimits): Promise<Omit<Source, 'container' | 'mapping' | 'close'>> {
  const warnings: ImportWarning[] = [];
  const head = await readHead(file, 64 * 1024);
  const cut = head.subarray(0, head.findLastIndex((b) => b < 0x80) + 1);
  // RFC 7946 says UTF-8: only text that is not valid UTF-8 (old GBK exports) goes through detection.
  const hint = validUtf8(cut) ? { encoding: 'utf-8', source: 'default' as const } : null;
  const enc = await chooseEncoding({ option: options.encoding, hint, samples: async () => [cut], file }, warnings);
  const sniffed = await sniff(file, enc.encoding);
  const kind = kindOf(sniffed, file);
  const crsMember = sniffed.members.get('crs');
  const crsText = crsMember === undefined || crsMember === null ? null : crsMemberText(crsMember);
  const declared = crsText === null ? undefined : { text: crsText, spec: parseCrsSpec(crsText) };
  const crs = resolveCrs({ option: options.crs, declared, implicit: 'wgs84', file }, warnings);
  const first = kind === 'collection' ? (sniffed.first as { properties?: unknown } | undefined)?.properties : sniffed.members.get('properties');
  const layout: Layout = { file, encoding: enc.encoding, crs, crsText, limits };
  return {
    format: 'geojson',
    layer: path.basename(file).replace(/\.(geo)?json(\.gz)?$/i, ''),
    encoding: enc.encoding,
    encodingSource: enc.source,
    crs: crs.info,
    fields: fieldsOf(first),
    warnings,
    records: { [Symbol.asyncIterator]: () => (kind === 'collection' ? readFeatures(layout) : readSingle(layout, kind)) },
  };
}

function toRecord(layout: Layout, row: number, feature: unknown): RawRecord {
  const f = (feature ?? {}) as { geometry?: unknown; properties?: unknown; id?: unknown };
  const parsed = parseGeometry(f.geometry, row, layout.file);
  const t = layout.crs.transform;
  const geometry = parsed && rewind(t ? mapPositions(parsed, t) : parsed);
  const properties = f.properties && typeof f.properties === 'object' ? { ...(f.properties as Record<string, unknown>) } : {};
  // A feature id is data (often the component id): kept as "@id" rather than dropped.
  if (f.id !== undefined && !('@id' in properties)) properties['@id'] = f.id;
  return { row, geometry, properties };
}

/** A crs member after the features must agree with the CRS the records were read in. */
function checkLateCrs(layout: Layout, member: unknown): void {
  if (layout.crs.info.source === 'option') return;
  const text = crsMemberText(member);
  const spec: CrsSpec | null = parseCrsSpec(text);
  if (layout.crsText === null && (!spec || labelOf(spec) !== layout.crs.info.label)) {
    const message = `The crs member (${show(text, 120)}) comes after the features, which were read as ${layout.crs.info.label}; `
      + 'move it before "features" or give the crs option.';
    throw new ImportError('IMPORT_BAD_GEOJSON', message, { file: layout.file });
  }
}

async function* readFeatures(layout: Layout): AsyncGenerator<RawRecord> {
  let row = 0;
  let started = false;
  for await (const e of guarded(events(layout.file, layout.encoding), layout.file)) {
    if (e.kind === 'featuresStart') started = true;
    else if (e.kind === 'member' && e.key === 'crs' && started) checkLateCrs(layout, e.value);
    else if (e.kind === 'feature') {
      if (++row > layout.limits.maxRecords) throw tooManyRecords(row, layout.limits.maxRecords, layout.file);
      yield toRecord(layout, row, e.value);
    }
  }
}

async function* readSingle(layout: Layout, kind: 'feature' | 'geometry'): AsyncGenerator<RawRecord> {
  const members: Record<string, unknown> = {};
  for await (const e of guarded(events(layout.file, layout.encoding), layout.file)) {
    if (e.kind === 'member') members[e.key] = e.value;
  }
  yield toRecord(layout, 1, kind === 'feature' ? members : { geometry: members, properties: {} });
}

/**
 * stream-json's syntax errors carry no code: they become IMPORT_BAD_JSON, or IMPORT_TRUNCATED when the
 * file does not end with a closing brace (a complete GeoJSON document always does).
 */
async function* guarded<T>(source: AsyncGenerator<T>, file: string): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    if (err instanceof ImportError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    if (await endsOpen(file)) throw new ImportError('IMPORT_TRUNCATED', `The JSON file is truncated (${detail}).`, { file }, { cause: err });
    throw new ImportError('IMPORT_BAD_JSON', `The file is not valid JSON (${detail}).`, { file }, { cause: err });
  }
}

async function endsOpen(file: string): Promise<boolean> {
  if (/\.gz$/i.test(file)) return false;
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(64, size));
    await handle.read(buf, 0, buf.length, size - buf.length);
    const tail = buf.toString('latin1').trimEnd();
    return tail.length > 0 && !tail.endsWith('}');
  } finally {
    await handle.close();
  }
}
