import Fastify from 'fastify';
import t from 'tap';
import { authPlugin, generateKey, hashKey, KeyRing } from '../../src/auth/index.js';
import { installErrorHandling } from '../../src/routes/error-handler.js';

// The API-key hook in isolation: a write route per role and a read route, with reads open and then
// protected. Each answer is checked for status, stable code and the WWW-Authenticate challenge.
const importerKey = generateKey();
const adminKey = generateKey();
const ring = new KeyRing([
  { name: 'surveyor', role: 'importer', hash: hashKey(importerKey) },
  { name: 'ops', role: 'admin', hash: hashKey(adminKey) },
]);

async function app(readAuth: boolean) {
  const a = Fastify();
  installErrorHandling(a);
  await a.register(authPlugin, { ring, readAuth });
  a.get('/health', async () => ({ ok: true }));
  a.get('/v1/read', async (req) => ({ by: req.apiKey?.name ?? null }));
  a.post('/v1/write', { config: { auth: 'importer' } }, async (req) => ({ by: req.apiKey?.name }));
  a.post('/v1/admin', { config: { auth: 'admin' } }, async (req) => ({ by: req.apiKey?.name }));
  await a.ready();
  return a;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

t.test('writes: 401 without or with a wrong key, 403 for the wrong role, 200 for the right one', async (t) => {
  const a = await app(false);
  t.teardown(() => a.close());
  const cases: Array<[string, Record<string, string>, number, string | null, string | null]> = [
    // route, headers, status, code, WWW-Authenticate
    ['/v1/write', {}, 401, 'WANMI_UNAUTHORIZED', 'Bearer realm="wanmi"'],
    ['/v1/write', bearer('wmk_not-a-key'), 401, 'WANMI_UNAUTHORIZED', 'Bearer realm="wanmi", error="invalid_token"'],
    ['/v1/write', { authorization: `Basic ${Buffer.from(`x:${importerKey}`).toString('base64')}` }, 401, 'WANMI_UNAUTHORIZED', 'Bearer realm="wanmi"'],
    ['/v1/write', { authorization: 'Bearer' }, 401, 'WANMI_UNAUTHORIZED', 'Bearer realm="wanmi"'],
    ['/v1/write', bearer(importerKey), 200, null, null],
    ['/v1/write', { authorization: `bearer ${importerKey}` }, 200, null, null],
    ['/v1/write', { 'x-api-key': importerKey }, 200, null, null],
    ['/v1/write', bearer(adminKey), 200, null, null],
    ['/v1/admin', bearer(importerKey), 403, 'WANMI_FORBIDDEN', 'Bearer realm="wanmi", error="insufficient_scope"'],
    ['/v1/admin', { 'x-api-key': adminKey }, 200, null, null],
    ['/v1/admin', bearer(importerKey.slice(0, -1)), 401, 'WANMI_UNAUTHORIZED', 'Bearer realm="wanmi", error="invalid_token"'],
  ];
  for (const [url, headers, status, code, challenge] of cases) {
    const res = await a.inject({ method: 'POST', url, headers });
    const label = `${url} ${JSON.stringify(headers).slice(0, 40)}`;
    t.equal(res.statusCode, status, label);
    if (code) t.match(res.json(), { statusCode: status, code }, label);
    else t.ok(res.json().by, label);
    t.equal(res.headers['www-authenticate'], challenge ?? undefined, label);
  }
  const forbidden = await a.inject({ method: 'POST', url: '/v1/admin', headers: bearer(importerKey) });
  t.match(forbidden.json().message, /needs a key with the admin role; the key of surveyor has the importer role/);
  t.notOk(forbidden.body.includes(importerKey), 'the key never appears in a response');
});

t.test('reads are open by default; a key sent with a read is still checked only for writes', async (t) => {
  const a = await app(false);
  t.teardown(() => a.close());
  t.equal((await a.inject('/v1/read')).statusCode, 200);
  t.equal((await a.inject({ url: '/v1/read', headers: bearer('wrong') })).statusCode, 200);
});

t.test('WANMI_READ_AUTH: reads need any valid key; /health stays open', async (t) => {
  const a = await app(true);
  t.teardown(() => a.close());
  const none = await a.inject('/v1/read');
  t.equal(none.statusCode, 401);
  t.equal(none.json().code, 'WANMI_UNAUTHORIZED');
  t.equal(none.headers['www-authenticate'], 'Bearer realm="wanmi"');
  t.equal((await a.inject({ url: '/v1/read', headers: bearer('wrong') })).statusCode, 401);
  t.same((await a.inject({ url: '/v1/read', headers: bearer(importerKey) })).json(), { by: 'surveyor' });
  t.same((await a.inject({ url: '/v1/read', headers: { 'x-api-key': adminKey } })).json(), { by: 'ops' });
  t.equal((await a.inject('/health')).statusCode, 200);
  t.equal((await a.inject({ method: 'OPTIONS', url: '/v1/read' })).statusCode, 404, 'preflights are not challenged');
  t.equal((await a.inject('/nowhere')).statusCode, 404);
  t.equal((await a.inject({ method: 'POST', url: '/v1/admin', headers: bearer(importerKey) })).statusCode, 403);
});

t.test('no keys configured: every write is refused', async (t) => {
  const a = Fastify();
  installErrorHandling(a);
  await a.register(authPlugin, { ring: new KeyRing([]), readAuth: false });
  a.post('/v1/write', { config: { auth: 'importer' } }, async () => ({}));
  t.teardown(() => a.close());
  t.equal((await a.inject({ method: 'POST', url: '/v1/write', headers: bearer(importerKey) })).statusCode, 401);
});
