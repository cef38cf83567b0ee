import t from 'tap';
import { decoderFor, streamDecoderFor } from '../../importers/decoders.js';
import { detectEncoding, encodingFromLdid, normalizeEncoding } from '../../importers/encoding.js';
import { gbk } from '../fixtures/importers/build.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const utf8 = (s: string) => Uint8Array.from(Buffer.from(s, 'utf8'));

t.test('scoring, not first-decoder-that-does-not-throw', async (tt) => {
  // measured-facts.md: these GBK names are valid UTF-8 too ("̫ԭ" for 太原).
  for (const name of ['太原', '双鸭山', '鹰潭', '思茅']) {
    const bytes = Uint8Array.from(gbk(name));
    tt.equal(detectEncoding([bytes]).encoding, 'gbk', name);
  }
  tt.equal(detectEncoding([utf8('黑龙江省'), utf8('内蒙古自治区')]).encoding, 'utf-8');
  tt.equal(detectEncoding([hex('4D E9 78 69 63 6F')]).encoding, 'windows-1252', 'México in Latin-1');
  tt.equal(detectEncoding([utf8('plain ascii')], 'gbk').encoding, 'gbk', 'nothing to judge: the fallback');
  tt.equal(detectEncoding([hex('B2EE C657'), hex('A6E8 B46F A55F')]).encoding, 'big5', '船灣, 西貢北');
  const damaged = detectEncoding([utf8('��³�׺�')]);
  tt.same(damaged, { encoding: 'utf-8', margin: 0, damaged: true }, 'not 锟斤拷');
});

t.test('labels, code pages and language-driver bytes', async (tt) => {
  tt.equal(normalizeEncoding('936'), 'gbk');
  tt.equal(normalizeEncoding('CP936'), 'gbk');
  tt.equal(normalizeEncoding('GB2312'), 'gbk');
  tt.equal(normalizeEncoding('ANSI 936'), 'gbk');
  tt.equal(normalizeEncoding('GB18030'), 'gb18030');
  tt.equal(normalizeEncoding(' UTF-8\r\n'), 'utf-8');
  tt.equal(normalizeEncoding('65001'), 'utf-8');
  tt.equal(normalizeEncoding('BIG5-HKSCS'), 'big5');
  tt.equal(normalizeEncoding('88591'), 'windows-1252');
  tt.equal(normalizeEncoding('klingon'), null);
  tt.equal(encodingFromLdid(0x4d), 'gbk');
  tt.equal(encodingFromLdid(0x4f), 'big5');
  tt.equal(encodingFromLdid(0x57), null, '"system ANSI" proves nothing');
});

t.test('Big5 is decoded as Big5-HKSCS; stream decoding keeps characters cut across chunks', async (tt) => {
  tt.equal(decoderFor('big5').decode(hex('c0 6e 95 63 ac 77 a5 5f')), '鴨脷洲北');
  tt.equal(new TextDecoder('big5').decode(hex('95 63')), '\uE77F', 'what plain CP950 gives instead');
  for (const encoding of ['gbk', 'big5', 'utf-8']) {
    const bytes = encoding === 'gbk' ? gbk('城管部件') : encoding === 'big5' ? Buffer.from(hex('b8aaaf469068')) : Buffer.from('城管部件');
    const d = streamDecoderFor(encoding);
    const text = d.write(bytes.subarray(0, 3)) + d.write(bytes.subarray(3)) + d.end();
    tt.equal(text, decoderFor(encoding).decode(bytes), encoding);
  }
});
