import t from 'tap';
import type { Geometry } from '../../src/domain/types.js';
import { decodeWkb, encodeWkb, geometryEnvelope, isEmptyGeometry, wkbSize } from '../../src/store/wkb.js';

/** One of each type, in CGCS2000 lon/lat around Hangzhou; the polygons carry holes and several parts. */
const SAMPLES: Geometry[] = [
  { type: 'Point', coordinates: [120.1551, 30.2741] },
  { type: 'MultiPoint', coordinates: [[120.1, 30.2], [120.2, 30.3], [-0.5, -1e-9]] },
  { type: 'LineString', coordinates: [[120, 30], [120.5, 30.25], [121, 30]] },
  { type: 'MultiLineString', coordinates: [[[120, 30], [121, 31]], [[122, 32], [122.5, 32.5], [123, 32]]] },
  {
    type: 'Polygon',
    coordinates: [
      [[120, 30], [121, 30], [121, 31], [120, 31], [120, 30]],
      [[120.25, 30.25], [120.5, 30.25], [120.5, 30.5], [120.25, 30.25]],
    ],
  },
  {
    type: 'MultiPolygon',
    coordinates: [
      [
        [[120, 30], [121, 30], [121, 31], [120, 31], [120, 30]],
        [[120.2, 30.2], [120.4, 30.2], [120.4, 30.4], [120.2, 30.2]],
        [[120.6, 30.6], [120.8, 30.6], [120.8, 30.8], [120.6, 30.6]],
      ],
      [[[130, 40], [131, 40], [131, 41], [130, 40]]],
    ],
  },
];

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Independent big-endian WKB writer for test input: a list of [kind, value] written in order. */
function bigEndian(parts: Array<['u8' | 'u32' | 'f64', number]>): Buffer {
  const size = parts.reduce((n, [kind]) => n + (kind === 'u8' ? 1 : kind === 'u32' ? 4 : 8), 0);
  const buf = Buffer.alloc(size);
  let pos = 0;
  for (const [kind, v] of parts) {
    if (kind === 'u8') pos = buf.writeUInt8(v, pos);
    else if (kind === 'u32') pos = buf.writeUInt32BE(v, pos);
    else pos = buf.writeDoubleBE(v, pos);
  }
  return buf;
}

t.test('round trip of all six types', async (t) => {
  for (const g of SAMPLES) {
    const wkb = encodeWkb(g);
    t.equal(wkb.byteLength, wkbSize(g), `${g.type}: size is precomputed exactly`);
    t.equal(wkb[0], 1, `${g.type}: little-endian`);
    t.same(decodeWkb(wkb), g, `${g.type} round-trips`);
  }
});

t.test('matches known ISO WKB bytes', async (t) => {
  t.same(encodeWkb({ type: 'Point', coordinates: [1, 2] }), hex('0101000000 000000000000F03F 0000000000000040'));
  t.same(
    encodeWkb({ type: 'LineString', coordinates: [[1, 2], [3, 4]] }),
    hex('0102000000 02000000 000000000000F03F 0000000000000040 0000000000000840 0000000000001040'),
  );
});

t.test('decodes at an offset inside a larger buffer', async (t) => {
  const g = SAMPLES[5];
  const inner = encodeWkb(g);
  const outer = new Uint8Array(inner.byteLength + 7);
  outer.set(inner, 3);
  t.same(decodeWkb(outer, 3), g);
  t.same(decodeWkb(outer.subarray(3)), g, 'a subarray view with a byteOffset');
});

t.test('reads big-endian input', async (t) => {
  // POINT(2 4), the classic example from the OGC simple-features spec.
  t.same(decodeWkb(hex('00 00000001 4000000000000000 4010000000000000')), { type: 'Point', coordinates: [2, 4] });

  // A big-endian MultiPolygon whose second part switches to little-endian: byte order is per geometry.
  const lePart = encodeWkb({ type: 'Polygon', coordinates: [[[5, 5], [6, 5], [6, 6], [5, 5]]] });
  const bePart = bigEndian([
    ['u8', 0], ['u32', 3], ['u32', 2],
    ['u32', 4], ['f64', 0], ['f64', 0], ['f64', 4], ['f64', 0], ['f64', 4], ['f64', 4], ['f64', 0], ['f64', 0],
    ['u32', 4], ['f64', 1], ['f64', 1], ['f64', 2], ['f64', 1], ['f64', 2], ['f64', 2], ['f64', 1], ['f64', 1],
  ]);
  const multi = Buffer.concat([bigEndian([['u8', 0], ['u32', 6], ['u32', 2]]), bePart, lePart]);
  t.same(decodeWkb(multi), {
    type: 'MultiPolygon',
    coordinates: [
      [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]],
      [[[5, 5], [6, 5], [6, 6], [5, 5]]],
    ],
  });
});

t.test('drops Z and M from ISO and EWKB input', async (t) => {
  const expected = { type: 'Point', coordinates: [1, 2] };
  // ISO POINT Z (1 2 3): type 1001.
  t.same(decodeWkb(hex('01 E9030000 000000000000F03F 0000000000000040 0000000000000840')), expected, 'ISO Z');
  // ISO POINT M (1 2 7): type 2001.
  t.same(decodeWkb(hex('01 D1070000 000000000000F03F 0000000000000040 0000000000001C40')), expected, 'ISO M');
  // EWKB SRID=4490;POINT Z (1 2 3): flags Z|SRID (0xA0000001), then the SRID 4490 (0x118A).
  t.same(
    decodeWkb(hex('01 010000A0 8A110000 000000000000F03F 0000000000000040 0000000000000840')),
    expected,
    'EWKB Z with SRID',
  );
  // ISO LINESTRING ZM, big-endian: type 3002, 4 ordinates per position.
  const zm = bigEndian([['u8', 0], ['u32', 3002], ['u32', 2],
    ['f64', 1], ['f64', 2], ['f64', 3], ['f64', 4], ['f64', 5], ['f64', 6], ['f64', 7], ['f64', 8]]);
  t.same(decodeWkb(zm), { type: 'LineString', coordinates: [[1, 2], [5, 6]] }, 'ISO ZM big-endian');
  // EWKB MULTIPOINT Z: the parts carry the Z flag as well.
  const ewkbMulti = hex('01 04000080 01000000 01 01000080 000000000000F03F 0000000000000040 0000000000000840');
  t.same(decodeWkb(ewkbMulti), { type: 'MultiPoint', coordinates: [[1, 2]] }, 'EWKB Z multi');
});

t.test('rejects bad input with code WKB_INVALID', async (t) => {
  const full = encodeWkb(SAMPLES[4]);
  const cases: Array<[string, Uint8Array]> = [
    ['empty input', new Uint8Array(0)],
    ['truncated header', full.subarray(0, 3)],
    ['truncated inside a ring', full.subarray(0, full.byteLength - 5)],
    ['truncated point', hex('0101000000 000000000000F03F 00000000')],
    ['bad byte order', hex('02 01000000 000000000000F03F 0000000000000040')],
    ['GeometryCollection', hex('01 07000000 00000000')],
    ['CircularString', hex('01 08000000 00000000')],
    ['unknown dimension thousands', hex('01 A10F0000 000000000000F03F 0000000000000040')],
    ['count larger than the input', hex('01 02000000 FFFFFFFF 000000000000F03F')],
    ['wrong part type', hex('01 04000000 01000000 01 02000000 00000000')],
  ];
  for (const [name, bytes] of cases) {
    t.throws(() => decodeWkb(bytes), { code: 'WKB_INVALID' }, name);
  }
  t.throws(() => decodeWkb(full, full.byteLength + 1), { code: 'WKB_INVALID' }, 'offset past the end');
});

t.test('rejects non-finite coordinates on encode', async (t) => {
  t.throws(() => encodeWkb({ type: 'LineString', coordinates: [[1, 2], [3, Infinity]] }), { code: 'WKB_INVALID' });
  t.throws(() => encodeWkb({ type: 'Point', coordinates: [1, NaN] }), { code: 'WKB_INVALID' });
  t.throws(() => encodeWkb({ type: 'Circle', coordinates: [1, 2] } as unknown as Geometry), { code: 'WKB_INVALID' });
});

t.test('empty geometries', async (t) => {
  const emptyPoint = encodeWkb({ type: 'Point', coordinates: [NaN, NaN] });
  t.same(emptyPoint, hex('0101000000 000000000000F87F 000000000000F87F'), 'empty point is POINT(NaN NaN)');
  const back = decodeWkb(emptyPoint);
  t.equal(back.type, 'Point');
  t.ok(isEmptyGeometry(back), 'and reads back empty');
  for (const type of ['LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'] as const) {
    const g = { type, coordinates: [] } as Geometry;
    t.same(decodeWkb(encodeWkb(g)), g, `empty ${type}`);
    t.ok(isEmptyGeometry(g));
    t.ok(geometryEnvelope(g).every(Number.isNaN), `empty ${type} has a NaN envelope`);
  }
  t.notOk(isEmptyGeometry(SAMPLES[0]));
});

t.test('geometryEnvelope', async (t) => {
  t.same(geometryEnvelope(SAMPLES[0]), [120.1551, 30.2741, 120.1551, 30.2741]);
  t.same(geometryEnvelope(SAMPLES[1]), [-0.5, -1e-9, 120.2, 30.3]);
  t.same(geometryEnvelope(SAMPLES[3]), [120, 30, 123, 32.5]);
  t.same(geometryEnvelope(SAMPLES[4]), [120, 30, 121, 31]);
  t.same(geometryEnvelope(SAMPLES[5]), [120, 30, 131, 41]);
});
