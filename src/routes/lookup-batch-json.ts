import type { FastifyError } from 'fastify';
import { Readable } from 'node:stream';
import type { LookupJson } from '../lookup/answer-json.js';
import { WanmiErrors } from '../errors.js';
import { CRS_CGCS2000 } from './schemas.js';
import { itemError, itemHead, pointInto, type Item } from './batch-items.js';
import { JsonBytes } from './json-bytes.js';

/**
 * The lookup batch's two answer formats, written from LookupJson's per-grid pieces (at 100,000 points,
 * answer objects and their serialisation would cost more than the lookups). Same fields and order as
 * the route's BatchResponse: {i, id?, ok: true, lon, lat, grid, community, street, district, zones,
 * dataVersion} or {i, id?, ok: false, error}.
 */

/** Every item looked up, in order: what the writers need, with the counts the envelope opens with. */
interface BatchLookups {
  okCount: number;
  ok: Uint8Array;
  /** CGCS2000 coordinates of ok items. */
  lon: Float64Array;
  lat: Float64Array;
  /** An ok item's place fields (LookupJson.placeFields), or a failed item's whole result object. */
  text: string[];
}

function lookupAll(json: LookupJson, items: Item[], crs: string): BatchLookups {
  const n = items.length;
  const run: BatchLookups = {
    okCount: 0, ok: new Uint8Array(n), lon: new Float64Array(n), lat: new Float64Array(n), text: new Array<string>(n),
  };
  const p = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    try {
      pointInto(items[i], crs, p);
      const place = json.placeFields(p[0], p[1]);
      if (place === null) throw new WanmiErrors.OutsideArea(p[2], p[3]);
      run.ok[i] = 1;
      run.lon[i] = p[0];
      run.lat[i] = p[1];
      run.text[i] = place;
      run.okCount++;
    } catch (err) {
      run.text[i] = `${itemHead(i, items[i])},"ok":false,"error":${JSON.stringify(itemError(err as FastifyError))}}`;
    }
  }
  return run;
}

/** The constant parts of a full item, as bytes. */
const ITEM_START = Buffer.from('{"i":');
const ID = Buffer.from(',"id":');
const OK_LON = Buffer.from(',"ok":true,"lon":');
const LAT = Buffer.from(',"lat":');
const COMMA = Buffer.from(',');
const BRACE = Buffer.from('{');
const COMMA_BRACE = Buffer.from(',{');
const CLOSE_BRACE = Buffer.from('}');

/** Items written per pushed piece of the stream (~700 KiB of full answers). */
const STREAM_ITEMS = 2000;
/** What closes the results array and the envelope batchHead opened. */
const BATCH_END = ']}';

/**
 * The full form, streamed: 100,000 full answers are ~33 MiB, so they are written as bytes (JsonBytes;
 * each distinct place encoded to UTF-8 once per index, LookupJson.placeBytes) a few thousand items at
 * a time, and the client reads the first pieces while later ones are being written.
 */
export function fullBatchStream(json: LookupJson, items: Item[], crs: string): Readable {
  const run = lookupAll(json, items, crs);
  const out = new JsonBytes();
  const tail = Buffer.from(`,"dataVersion":${json.dataVersion}}`);
  const writeItem = (i: number) => {
    if (i > 0) out.bytes(COMMA);
    if (!run.ok[i]) return void out.utf8(run.text[i]);
    const id = items[i].id;
    out.bytes(ITEM_START).number(i);
    if (id !== undefined) out.bytes(ID).utf8(JSON.stringify(id));
    out.bytes(OK_LON).number(run.lon[i]).bytes(LAT).number(run.lat[i]).bytes(COMMA);
    out.bytes(json.placeBytes(run.text[i])).bytes(tail);
  };
  out.ascii(batchHead(json, items.length, run.okCount, '"results":['));
  let next = 0;
  return new Readable({
    read() {
      const end = Math.min(next + STREAM_ITEMS, items.length);
      while (next < end) writeItem(next++);
      if (next === items.length) out.ascii(BATCH_END);
      for (const piece of out.take()) this.push(piece);
      if (next === items.length) this.push(null);
    },
  });
}

/**
 * The compact form: each distinct answer once in `places` (first-seen order), an ok item as the index
 * of its place. Points share their grid's answer, so the body shrinks with the points per grid: on the
 * benchmark city (100,000 points, 25,208 grids) from 32.6 to 6.6 MiB. Written as bytes like the full
 * form (results first, as they come; places, whose list is only known at the end, encoded once each),
 * not as 100,000 small strings joined and then encoded again.
 */
export function compactBatchBytes(json: LookupJson, items: Item[], crs: string): Buffer {
  const run = lookupAll(json, items, crs);
  const placeIndex = new Map<string, number>();
  const results = new JsonBytes();
  for (let i = 0; i < items.length; i++) {
    if (i > 0) results.bytes(COMMA);
    if (!run.ok[i]) {
      results.utf8(run.text[i]);
      continue;
    }
    const place = run.text[i];
    let k = placeIndex.get(place);
    if (k === undefined) placeIndex.set(place, (k = placeIndex.size));
    results.number(k);
  }
  const out = new JsonBytes();
  out.ascii(batchHead(json, items.length, run.okCount, '"format":"compact","places":['));
  let first = true;
  for (const place of placeIndex.keys()) {
    out.bytes(first ? BRACE : COMMA_BRACE).bytes(json.placeBytes(place)).bytes(CLOSE_BRACE);
    first = false;
  }
  out.ascii('],"results":[');
  return Buffer.concat([...out.take(), ...results.take(), Buffer.from(BATCH_END)]);
}

/** The batch envelope's opening (crs, data version, counts), then `rest`: the members that follow. */
function batchHead(json: LookupJson, count: number, okCount: number, rest: string): string {
  const counts = `"count":${count},"okCount":${okCount},"errorCount":${count - okCount}`;
  return `{"crs":"${CRS_CGCS2000}","dataVersion":${json.dataVersion},${counts},${rest}`;
}
