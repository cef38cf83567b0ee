import t from 'tap';
import { recordMaker } from '../../importers/record-shape.js';

t.test('records of one shape: every field in order, any name stays data', async (t) => {
  const names = ['OBJID', '部件名称', 'a"b', 'c\\d', '__proto__', 'constructor', '});process.exit(1);({', 'x\u2028y'];
  const make = recordMaker(names);
  const r = make(names.map((_, i) => (i === 4 ? null : i)));
  t.same(Object.keys(r), names, 'keys in field order, names taken literally');
  t.equal(Object.getPrototypeOf(r), Object.prototype, 'a __proto__ field does not replace the prototype');
  t.equal(Object.getOwnPropertyDescriptor(r, '__proto__')?.value, null, 'it is an own data property');
  t.equal(r['});process.exit(1);({'], 6, 'a hostile name is only a key');
  t.same(JSON.parse(JSON.stringify(r))['部件名称'], 1);
});
