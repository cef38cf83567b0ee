import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { IMPORT_ERRORS, ImportError, readSource, type ImportErrorCode } from '../../importers/index.js';
import { makeShapefile, tempDir, type ShapefileSpec } from '../fixtures/importers/build.js';

/**
 * Broken shapefiles, each generated from a good one by one change; each must fail with its stable code
 * (and the row when one is to blame), in words, without crashing or allocating what the header claims.
 */
const dir = tempDir();
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const seen = new Set<string>();

const POINTS: ShapefileSpec = {
  kind: 'point',
  shapes: [{ point: [120.1, 30.2] }, { point: [120.2, 30.3] }, { point: [120.3, 30.4] }],
  fields: [{ name: 'NAME', type: 'C', length: 10 }],
  rows: [['a'], ['b'], ['c']],
};
const POLYGONS: ShapefileSpec = {
  kind: 'polygon',
  shapes: [{ parts: [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]] }, { parts: [[[2, 2], [2, 3], [3, 3], [3, 2], [2, 2]]] }],
};

/** Read everything; return the ImportError (or fail the test on success or any other error). */
async function failure(file: string, options = {}): Promise<ImportError> {
  try {
    const src = await readSource(file, options);
    for await (const _ of src.records) { /* read to the end */ }
  } catch (err) {
    if (err instanceof ImportError) {
      seen.add(err.code);
      return err;
    }
    throw err;
  }
  throw new Error(`${file} was read without error`);
}

function expectCode(tt: Test, err: ImportError, code: ImportErrorCode, extra: Record<string, unknown> = {}): void {
  tt.match(err, { code, message: /\S.{15,}/, ...extra }, `${code}: ${err.message}`);
}

let n = 0;
const broken = (spec: ShapefileSpec, mutate: NonNullable<ShapefileSpec['mutate']>) => makeShapefile(dir, `broken${++n}`, { ...spec, mutate });
const setInt32BE = (buf: Buffer, at: number, v: number) => { const b = Buffer.from(buf); b.writeInt32BE(v, at); return b; };
const setInt32LE = (buf: Buffer, at: number, v: number) => { const b = Buffer.from(buf); b.writeInt32LE(v, at); return b; };

t.test('.shp header', async (tt) => {
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shp: Buffer.from('not a shapefile at all '.repeat(10)) }))), 'IMPORT_BAD_SHP');
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shp: f.shp.subarray(0, 60) }))), 'IMPORT_TRUNCATED');
  // The header claims 2 GB; the file is 184 bytes. Refused before reading, nothing allocated.
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shp: setInt32BE(f.shp, 24, 0x40000000) }))), 'IMPORT_TOO_MANY_RECORDS', { message: /2\.0 GB/ });
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shp: setInt32LE(f.shp, 32, 31) , shx: setInt32LE(f.shx, 32, 31) }))), 'IMPORT_UNSUPPORTED_SHAPE');
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shp: setInt32LE(f.shp, 32, 7) }))), 'IMPORT_BAD_SHP');
});

t.test('.shp records', async (tt) => {
  // Cut inside the last record, header fixed up to the new length: the record runs past the end.
  const cut = (f: { shp: Buffer; shx: Buffer; dbf: Buffer | null }) => {
    const shp = setInt32BE(f.shp.subarray(0, f.shp.length - 6), 24, (f.shp.length - 6) / 2);
    return { ...f, shp, shx: null };
  };
  expectCode(tt, await failure(broken(POINTS, cut)), 'IMPORT_TRUNCATED', { row: 3 });
  // Cut without fixing the header: the header promises more than there is.
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shp: f.shp.subarray(0, f.shp.length - 6), shx: null }))), 'IMPORT_TRUNCATED');
  // A point record in a polygon file, and a part index beyond the points.
  const second = 100 + 8 + 4 + 32 + 8 + 4 + 80;
  expectCode(tt, await failure(broken(POLYGONS, (f) => ({ ...f, shp: setInt32LE(f.shp, second + 8, 1) }))), 'IMPORT_BAD_SHP', { row: 2 });
  expectCode(tt, await failure(broken(POLYGONS, (f) => ({ ...f, shp: setInt32LE(f.shp, 100 + 8 + 40, 999999) }))), 'IMPORT_BAD_SHP', { row: 1 });
  expectCode(tt, await failure(broken(POLYGONS, (f) => ({ ...f, shp: setInt32LE(f.shp, 100 + 8 + 44, 3) }))), 'IMPORT_BAD_SHP', { row: 1, message: /part indexes/ });
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shp: setInt32BE(f.shp, 100 + 4, 1), shx: null }))), 'IMPORT_BAD_SHP', { row: 1 });
});

t.test('.shx against .shp', async (tt) => {
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shx: setInt32BE(f.shx, 100 + 8 + 4, 99) }))), 'IMPORT_SHX_MISMATCH', { row: 2 });
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shx: setInt32BE(f.shx, 100 + 8, 9999) }))), 'IMPORT_SHX_MISMATCH');
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, shx: f.shx.subarray(0, 105) }))), 'IMPORT_SHX_MISMATCH');
  // An index of two records over a .shp of three, header and size consistent: data after the last entry.
  const two = (f: { shp: Buffer; shx: Buffer; dbf: Buffer | null }) => ({ ...f, shx: setInt32BE(f.shx.subarray(0, 116), 24, 58), dbf: null });
  expectCode(tt, await failure(broken(POINTS, two)), 'IMPORT_SHX_MISMATCH');
});

t.test('.dbf', async (tt) => {
  const count = (v: number) => (f: { shp: Buffer; shx: Buffer; dbf: Buffer | null }) => {
    const dbf = Buffer.from(f.dbf!);
    dbf.writeUInt32LE(v, 4);
    return { ...f, dbf };
  };
  expectCode(tt, await failure(broken(POINTS, count(0x7fffffff))), 'IMPORT_TOO_MANY_RECORDS');
  expectCode(tt, await failure(broken(POINTS, count(4))), 'IMPORT_TRUNCATED');
  expectCode(tt, await failure(broken(POINTS, count(2))), 'IMPORT_COUNT_MISMATCH');
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...count(2)(f), shx: null }))), 'IMPORT_COUNT_MISMATCH', { row: 3 });
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...count(4)(f), shx: null, dbf: Buffer.concat([count(4)(f).dbf!, Buffer.alloc(11, 0x20)]) }))), 'IMPORT_COUNT_MISMATCH', { row: 4 });
  const header = (at: number, v: number) => (f: { shp: Buffer; shx: Buffer; dbf: Buffer | null }) => {
    const dbf = Buffer.from(f.dbf!);
    dbf.writeUInt16LE(v, at);
    return { ...f, dbf };
  };
  expectCode(tt, await failure(broken(POINTS, header(8, 10))), 'IMPORT_BAD_DBF');
  expectCode(tt, await failure(broken(POINTS, header(10, 3))), 'IMPORT_BAD_DBF', { message: /11 bytes per record/ });
  const noTerminator = (f: { shp: Buffer; shx: Buffer; dbf: Buffer | null }) => {
    const dbf = Buffer.from(f.dbf!);
    dbf[64] = 0x20;
    return { ...f, dbf };
  };
  expectCode(tt, await failure(broken(POINTS, noTerminator)), 'IMPORT_BAD_DBF');
  expectCode(tt, await failure(broken(POINTS, (f) => ({ ...f, dbf: f.dbf!.subarray(0, 20) }))), 'IMPORT_TRUNCATED');
});

t.test('files, formats, options and limits', async (tt) => {
  expectCode(tt, await failure(join(dir, 'nope.shp')), 'IMPORT_NOT_FOUND');
  const txt = join(dir, 'data.xlsx');
  writeFileSync(txt, 'x');
  expectCode(tt, await failure(txt), 'IMPORT_UNKNOWN_FORMAT');
  const good = makeShapefile(dir, 'good', POINTS);
  expectCode(tt, await failure(good, { encoding: 'klingon' }), 'IMPORT_BAD_ENCODING');
  expectCode(tt, await failure(good, { crs: 'mars-2000' }), 'IMPORT_UNKNOWN_CRS');
  expectCode(tt, await failure(good, { limits: { maxRecords: 2 } }), 'IMPORT_TOO_MANY_RECORDS');
  expectCode(tt, await failure(good, { mapping: { 'components idd': 'X' } }), 'IMPORT_BAD_MAPPING');
  const mappingFile = join(dir, 'mapping.json');
  writeFileSync(mappingFile, '{ not json');
  expectCode(tt, await failure(good, { mapping: mappingFile }), 'IMPORT_BAD_MAPPING');
  tt.same(readFileSync(good).length, 184, 'the good file stayed good');
});

t.test('the error table: codes equal their keys; this file and the format tests use each reader code', async (tt) => {
  for (const [k, v] of Object.entries(IMPORT_ERRORS)) tt.equal(v, k);
  for (const code of ['IMPORT_BAD_SHP', 'IMPORT_TRUNCATED', 'IMPORT_TOO_MANY_RECORDS', 'IMPORT_SHX_MISMATCH', 'IMPORT_BAD_DBF', 'IMPORT_COUNT_MISMATCH', 'IMPORT_UNSUPPORTED_SHAPE']) {
    tt.ok(seen.has(code), `${code} exercised`);
  }
});
