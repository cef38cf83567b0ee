import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import {
  addKey, ApiKeysError, generateKey, hashKey, KeyRing, listKeys, loadApiKeys, parseKeysEnv, parseKeysText, removeKey,
} from '../../src/auth/index.js';
import { DEFAULT_EQUAL } from '../../src/auth/key-ring.js';

// Keys: the file and variable formats, their errors (naming the source and line), the constant-time
// check, and the keys file `wanmi keys add|list|remove` edits.
const k1 = generateKey();
const k2 = generateKey();
const k3 = generateKey();

function tmp(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-keys-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a generated key has 256 bits and is stored as its SHA-256', async (t) => {
  t.match(k1, /^wmk_[A-Za-z0-9_-]{43}$/);
  t.not(k1, k2);
  t.equal(hashKey(k1), `sha256:${crypto.createHash('sha256').update(k1).digest('hex')}`);
});

t.test('keys files: JSON array or name/role/hash lines', async (t) => {
  const json = JSON.stringify([{ name: 'surveyor-a', role: 'importer', hash: hashKey(k1) }, { name: '运维', role: 'admin', hash: hashKey(k2) }]);
  t.same(parseKeysText(json, 'k.json').map((e) => [e.name, e.role]), [['surveyor-a', 'importer'], ['运维', 'admin']]);
  const text = `# Wanmi keys\n\nsurveyor-a importer ${hashKey(k1)}   # field team\nops admin ${hashKey(k2)}\n`;
  t.same(parseKeysText(text, 'k.txt').map((e) => e.name), ['surveyor-a', 'ops']);
  t.same(parseKeysEnv(`ci importer ${hashKey(k1)}; ops admin ${hashKey(k2)}`).map((e) => e.role), ['importer', 'admin']);
  t.same(parseKeysText('', 'empty'), []);
});

t.test('keys-file errors name the source and the line or entry', async (t) => {
  const bad = (text: string, pattern: RegExp) => t.throws(() => parseKeysText(text, 'keys.txt'), pattern);
  bad('[{"name": "a", "role": "importer", "hash": ', /^keys\.txt: not valid JSON/);
  bad('{"name": "a"}', /must be an array/);
  bad(`a importer ${hashKey(k1)}\nb reader ${hashKey(k2)}`, /line 2: role must be one of importer, admin/);
  bad(`a importer ${k1}`, /line 1: hash must be sha256:<64 hex digits>.*not a key in clear/);
  bad(`a importer`, /line 1 is not "name role hash"/);
  bad(`a/b importer ${hashKey(k1)}`, /line 1: name must be/);
  bad(`a importer ${hashKey(k1)}\na admin ${hashKey(k2)}`, /the name "a" is used twice/);
  bad(`a importer ${hashKey(k1)}\nb admin ${hashKey(k1)}`, /key of "b" is also configured under another name/);
  bad(JSON.stringify([{ name: 'a', role: 'admin', hash: hashKey(k1) }, 'x']), /entry 2 is not an object/);
  const err = (() => { try { parseKeysEnv('a importer sha256:12'); } catch (e) { return e; } })();
  t.ok(err instanceof ApiKeysError);
  t.match((err as Error).message, /^WANMI_API_KEYS: entry 1: hash/);
});

t.test('loadApiKeys: a named file must exist; the file and the variable must not clash', async (t) => {
  const dir = tmp(t);
  const file = path.join(dir, 'keys.json');
  await t.rejects(loadApiKeys({ keysFile: file, readAuth: false }), /keys\.json: cannot be read \(ENOENT\); create it with `wanmi keys add`/);
  fs.writeFileSync(file, JSON.stringify([{ name: 'a', role: 'importer', hash: hashKey(k1) }]));
  t.same((await loadApiKeys({ keysFile: file, keys: `b admin ${hashKey(k2)}`, readAuth: false })).map((e) => e.name), ['a', 'b']);
  await t.rejects(loadApiKeys({ keysFile: file, keys: `a admin ${hashKey(k2)}`, readAuth: false }), /keys\.json \+ WANMI_API_KEYS: the name "a" is used twice/);
  t.same(await loadApiKeys(undefined), [], 'no keys at all is allowed (writes are then refused)');
});

t.test('KeyRing compares in constant time: timingSafeEqual against every key, match or not', async (t) => {
  t.equal(DEFAULT_EQUAL, crypto.timingSafeEqual, 'the default comparison is crypto.timingSafeEqual');
  const entries = [
    { name: 'a', role: 'importer' as const, hash: hashKey(k1) },
    { name: 'b', role: 'admin' as const, hash: hashKey(k2) },
    { name: 'c', role: 'importer' as const, hash: hashKey(k3) },
  ];
  let calls = 0;
  const lengths = new Set<string>();
  const ring = new KeyRing(entries, (a, b) => {
    calls++;
    lengths.add(`${a.length}/${b.length}`);
    return crypto.timingSafeEqual(a, b);
  });
  for (const [key, expected] of [[k1, 'a'], [k3, 'c'], ['wrong', null], ['', null], [k1 + 'x', null]] as const) {
    calls = 0;
    t.equal(ring.identify(key)?.name ?? null, expected);
    t.equal(calls, 3, `every stored key compared for ${expected ?? 'a wrong key'}`);
  }
  t.same([...lengths], ['32/32'], 'always two SHA-256 digests, whatever the length of the presented key');
  t.same(new KeyRing(entries).identify(k2), { name: 'b', role: 'admin' });
});

t.test('the keys file: add prints the key once and stores only its hash, owner-only', async (t) => {
  const file = path.join(tmp(t), 'etc', 'keys.json');
  t.same(await listKeys(file), [], 'a missing file lists nothing');
  const { key, entry } = await addKey(file, 'surveyor-a', 'importer');
  t.equal(entry.hash, hashKey(key));
  const text = fs.readFileSync(file, 'utf8');
  t.notOk(text.includes(key), 'the key itself is not written');
  t.equal(fs.statSync(file).mode & 0o777, 0o600);
  await addKey(file, 'ops', 'admin');
  await t.rejects(addKey(file, 'ops', 'importer'), /a key named "ops" exists already/);
  t.same((await listKeys(file)).map((e) => [e.name, e.role]), [['surveyor-a', 'importer'], ['ops', 'admin']]);
  t.equal(new KeyRing(await loadApiKeys({ keysFile: file, readAuth: false })).identify(key)?.name, 'surveyor-a');
  t.equal(await removeKey(file, 'surveyor-a'), true);
  t.equal(await removeKey(file, 'surveyor-a'), false);
  t.same((await listKeys(file)).map((e) => e.name), ['ops']);
  t.same(fs.readdirSync(path.dirname(file)), ['keys.json'], 'no temporary files left');
});
