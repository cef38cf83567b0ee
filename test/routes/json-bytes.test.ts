import t from 'tap';
import { JsonBytes } from '../../src/routes/json-bytes.js';
import { createRng } from '../../src/demo/prng.js';

const text = (out: JsonBytes) => Buffer.concat(out.take()).toString('utf8');

t.test('numbers are written exactly as JSON.stringify writes them', async (t) => {
  const rng = createRng(20261123);
  const rnd = () => rng.next();
  const numbers = [0, -0, 1, -1, 0.1, 0.000001, 0.0000001, 1e-7, 120, 120.5, -33.000001, 179.999999, 1e9, 1e21, 123456789.123456,
    Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 2 ** 53 + 2, 0.1 + 0.2];
  for (let i = 0; i < 20000; i++) {
    const decimals = Math.floor(rnd() * 9);
    const scale = 10 ** decimals;
    numbers.push(Math.round((rnd() * 360 - 180) * scale) / scale); // coordinates as clients send them
    numbers.push(rnd() * 360 - 180); // converted coordinates: all 17 digits
    numbers.push((rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 10)); // any magnitude
  }
  let mismatches = 0;
  for (const n of numbers) {
    const got = text(new JsonBytes(64).number(n));
    if (got !== JSON.stringify(n)) mismatches++;
    if (got !== JSON.stringify(n) && mismatches < 5) t.equal(got, JSON.stringify(n), `number ${n}`);
  }
  t.equal(mismatches, 0, `${numbers.length} numbers`);
});

t.test('pieces larger than a chunk and text across chunk edges come out whole and in order', async (t) => {
  const out = new JsonBytes(16);
  const expected: string[] = [];
  const rng = createRng(7);
  const rnd = () => rng.next();
  for (let i = 0; i < 500; i++) {
    const kind = Math.floor(rnd() * 4);
    if (kind === 0) { out.ascii(`{"i":${i},`); expected.push(`{"i":${i},`); }
    if (kind === 1) { const s = '南星街道复兴街社区第075网格'.repeat(1 + (i % 3)); out.utf8(s); expected.push(s); }
    if (kind === 2) { const s = `"name":"清波街道${i}"`; out.bytes(Buffer.from(s)); expected.push(s); }
    if (kind === 3) { const n = Math.round(rnd() * 1e9) / 1e6; out.number(n); expected.push(JSON.stringify(n)); }
  }
  const pieces = out.take();
  t.ok(pieces.length > 1, `${pieces.length} pieces`);
  t.equal(Buffer.concat(pieces).toString('utf8'), expected.join(''));
  t.same(out.take(), [], 'nothing left after take');
});
