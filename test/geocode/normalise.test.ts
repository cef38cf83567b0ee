import t from 'tap';
import { normaliseAddress } from '../../src/geocode/normalise.js';
import { parseChineseNumeral } from '../../src/geocode/chinese-numerals.js';
import { withinOneEdit } from '../../src/geocode/fuzzy.js';
import { shortForm } from '../../src/geocode/names.js';

t.test('Chinese numerals', async (t) => {
  const cases: Array<[string, number | null]> = [
    ['一', 1], ['十', 10], ['十二', 12], ['二十', 20], ['一百零八', 108], ['一百一十', 110], ['两千零五', 2005],
    ['三万五千', 35000], ['一〇八', 108], ['五百一十九', 519], ['', null], ['路', null],
  ];
  for (const [text, value] of cases) t.equal(parseChineseNumeral(text), value, text || '(empty)');
});

t.test('normalisation', async (t) => {
  const cases: Array<[string, string]> = [
    ['浙江省杭州市上城區望江路一百零八號', '浙江省杭州市上城区望江路108号'],
    ['望江路１０８号３幢二单元５０１室', '望江路108号3幢2单元501室'],
    ['十二栋', '12栋'],
    ['十五奎巷三号', '十五奎巷3号'],
    ['五福路', '五福路'],
    ['望江路108#', '望江路108号'],
    ['规划一路12之3号', '规划一路12-3号'],
    ['  望江路 , 108 号 ', '望江路108号'],
    ['<b>望江路</b>', 'B望江路B'],
    ['😀😀', ''],
  ];
  for (const [input, expected] of cases) t.equal(normaliseAddress(input).text, expected, input);
  t.equal(normaliseAddress('慶和路').hadTraditional, true);
  t.equal(normaliseAddress('庆和路').hadTraditional, false);
});

t.test('one-edit comparison and short forms', async (t) => {
  t.ok(withinOneEdit('望江路', '望汀路'));
  t.ok(withinOneEdit('庆和路', '庆路'));
  t.ok(withinOneEdit('庆路', '庆和路'));
  t.notOk(withinOneEdit('望江路', '江望路'));
  t.notOk(withinOneEdit('望江路', '望江'.concat('大道')));
  t.equal(shortForm('上城区', 'district'), '上城');
  t.equal(shortForm('望江街道', 'street'), '望江');
  t.equal(shortForm('城区', 'district'), null, 'a one-character stem is no short form');
  t.equal(shortForm('新疆维吾尔自治区', 'province'), '新疆');
});
