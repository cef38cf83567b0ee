import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { createApp } from '../../src/app.js';
import { generateKey, hashKey } from '../../src/auth/index.js';
import { openStore } from '../../src/store/connect.js';
import { readDataVersion } from '../../src/store/meta.js';
import { testConfig } from '../helpers/app.js';
import { testStores } from '../helpers/stores.js';

// API keys on the whole service: the boot refuses a bad keys file, writes need the right role, reads
// follow WANMI_READ_AUTH, the OpenAPI document declares the schemes, and `wanmi keys add` makes a key
// the service accepts. Auth never touches the store, so one store (GeoPackage, empty) is enough here.
const importerKey = generateKey();
const adminKey = generateKey();
const keys = `surveyor importer ${hashKey(importerKey)}; ops admin ${hashKey(adminKey)}`;
const [gpkg] = testStores();

async function boot(t: { teardown(fn: () => unknown): void }, auth: { keys?: string; keysFile?: string; readAuth: boolean }) {
  const ts = await gpkg.make();
  const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-uploads-'));
  const store = await openStore(ts.config);
  t.teardown(async () => {
    await store.close();
    await ts.cleanup();
    fs.rmSync(uploads, { recursive: true, force: true });
  });
  const config = testConfig(ts.config, { auth, imports: { dir: uploads, maxBytes: 64 * 1024 * 1024, maxQueued: 4 } });
  return { config, store, app: () => createApp({ config, store }) };
}

async function upload(app: FastifyInstance, headers: Record<string, string>, data = geojson(3)) {
  const fd = new FormData();
  fd.append('layer', 'components');
  fd.append('file', new Blob([data]), 'c.geojson');
  const req = new Request('http://wanmi.test/', { method: 'POST', body: fd });
  return app.inject({ method: 'POST', url: '/v1/imports', payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type')!, ...headers } });
}

function geojson(n: number): Buffer {
  const features = Array.from({ length: n }, (_, i) => ({
    type: 'Feature', geometry: { type: 'Point', coordinates: [120.19 + i * 1e-6, 30.26] },
    properties: { ObjID: `3301020118${String(100000 + i).padStart(6, '0')}`, ObjName: '路灯', ObjState: '完好', ORDate: '20230101', BGID: '330102008053013' },
  }));
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
}

t.test('the boot refuses a keys file it cannot use, naming it', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-keys-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keys.txt');
  fs.writeFileSync(file, `ok importer ${hashKey(importerKey)}\nbad reader ${hashKey(adminKey)}\n`);
  const { app } = await boot(t, { keysFile: file, readAuth: false });
  await t.rejects(app(), /keys\.txt: line 2: role must be one of importer, admin/);
});

t.test('writes: 401 / 403 / 202 by key and role; reads stay open', async (t) => {
  const { app: make, store } = await boot(t, { keys, readAuth: false });
  const app = await make();
  t.teardown(() => app.close());
  const none = await upload(app, {});
  t.equal(none.statusCode, 401);
  t.match(none.json(), { code: 'WANMI_UNAUTHORIZED' });
  t.equal(none.headers['www-authenticate'], 'Bearer realm="wanmi"');
  const wrong = await upload(app, { authorization: `Bearer ${generateKey()}` });
  t.equal(wrong.statusCode, 401);
  t.equal(wrong.headers['www-authenticate'], 'Bearer realm="wanmi", error="invalid_token"');
  const byImporter = await upload(app, { authorization: `Bearer ${importerKey}` });
  t.equal(byImporter.statusCode, 202);
  t.equal(byImporter.json().submittedBy, 'surveyor');
  const byAdmin = await upload(app, { 'x-api-key': adminKey });
  t.equal(byAdmin.statusCode, 202);
  t.equal(byAdmin.json().submittedBy, 'ops');
  t.equal((await app.inject(`/v1/imports/${byImporter.json().id}`)).statusCode, 200, 'a job is a read');
  t.equal((await app.inject('/health')).statusCode, 200);
  t.equal((await app.inject({ method: 'POST', url: '/v1/lookup/batch', payload: [{ lon: 120.19, lat: 30.26 }] })).statusCode, 200, 'batch lookups are reads');

  // Cancelling needs admin: 403 for an importer. A big queued job is cancelled before it runs.
  const big = await upload(app, { authorization: `Bearer ${importerKey}` }, geojson(20_000));
  const id = big.json().id;
  const forbidden = await app.inject({ method: 'DELETE', url: `/v1/imports/${id}`, headers: { authorization: `Bearer ${importerKey}` } });
  t.equal(forbidden.statusCode, 403);
  t.match(forbidden.json(), { code: 'WANMI_FORBIDDEN' });
  t.equal(forbidden.headers['www-authenticate'], 'Bearer realm="wanmi", error="insufficient_scope"');
  const version = await readDataVersion(store.db);
  const cancelled = await app.inject({ method: 'DELETE', url: `/v1/imports/${id}`, headers: { authorization: `Bearer ${adminKey}` } });
  t.equal(cancelled.statusCode, 200);
  t.match(cancelled.json(), { id, state: 'failed', error: { code: 'WANMI_IMPORT_CANCELLED', message: /by ops/ } });
  t.match((await app.inject({ method: 'DELETE', url: `/v1/imports/${id}`, headers: { authorization: `Bearer ${adminKey}` } })).json(), { statusCode: 409, code: 'WANMI_IMPORT_JOB_FINISHED' });
  for (const job of [byImporter.json().id, byAdmin.json().id]) {
    for (;;) {
      const state = (await app.inject(`/v1/imports/${job}`)).json().state;
      if (state === 'done' || state === 'failed') break;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  t.ok((await readDataVersion(store.db)) >= version, 'the cancelled import wrote nothing beyond the others');
});

t.test('a running import cancelled by an admin writes nothing', async (t) => {
  const { app: make, store } = await boot(t, { keys, readAuth: false });
  const app = await make();
  t.teardown(() => app.close());
  const version = await readDataVersion(store.db);
  const res = await upload(app, { authorization: `Bearer ${adminKey}` }, geojson(60_000));
  const id = res.json().id;
  for (;;) {
    const job = (await app.inject(`/v1/imports/${id}`)).json();
    if (job.state !== 'queued') break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const cancelled = await app.inject({ method: 'DELETE', url: `/v1/imports/${id}`, headers: { authorization: `Bearer ${adminKey}` } });
  t.equal(cancelled.statusCode, 200);
  t.match(cancelled.json(), { state: 'failed', error: { code: 'WANMI_IMPORT_CANCELLED' } });
  t.equal(await readDataVersion(store.db), version);
  t.equal(Number((await store.db('imports').count({ n: '*' }).first())?.n), 0, 'not even a journal row');
});

t.test('WANMI_READ_AUTH: reads need a key; /health and the API description stay open', async (t) => {
  const { app: make } = await boot(t, { keys, readAuth: true });
  const app = await make();
  t.teardown(() => app.close());
  const read = await app.inject('/v1/lookup?lon=120.19&lat=30.26');
  t.equal(read.statusCode, 401);
  t.equal(read.json().code, 'WANMI_UNAUTHORIZED');
  t.not((await app.inject({ url: '/v1/lookup?lon=120.19&lat=30.26', headers: { authorization: `Bearer ${importerKey}` } })).statusCode, 401);
  t.equal((await app.inject('/health')).statusCode, 200);
  const doc = (await app.inject('/openapi.json')).json();
  t.same(doc.security, [{ bearerKey: [] }, { apiKeyHeader: [] }], 'a global requirement when reads need a key');
});

t.test('the OpenAPI document declares the key schemes and the protected operations', async (t) => {
  const { app: make } = await boot(t, { keys, readAuth: false });
  const app = await make();
  t.teardown(() => app.close());
  const doc = (await app.inject('/openapi.json')).json();
  t.match(doc.components.securitySchemes, { bearerKey: { type: 'http', scheme: 'bearer' }, apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' } });
  t.notOk(doc.security, 'reads open: no global requirement');
  t.same(doc.paths['/v1/imports'].post.security, [{ bearerKey: [] }, { apiKeyHeader: [] }]);
  t.ok(doc.paths['/v1/imports'].post.requestBody.content['multipart/form-data'], 'the upload form is described');
  t.same(doc.paths['/v1/imports/{id}'].delete.security, [{ bearerKey: [] }, { apiKeyHeader: [] }]);
  t.notOk(doc.paths['/v1/imports/{id}'].get.security);
});

t.test('`wanmi keys add` prints a key once; the service accepts it', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-keys-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keys.json');
  const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
  const run = (args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'keys', ...args], { env: { ...process.env, WANMI_API_KEYS_FILE: file } });
  const added = await run(['add', '--name', 'field-team', '--role', 'importer']);
  const key = added.stdout.trim();
  t.match(key, /^wmk_[A-Za-z0-9_-]{43}$/);
  t.match(added.stderr, /shown once/);
  t.notOk(fs.readFileSync(file, 'utf8').includes(key));
  t.equal((await run(['list'])).stdout, 'field-team\timporter\n');
  await t.rejects(run(['add', '--name', 'x', '--role', 'reader']), /--role must be one of importer, admin/);
  const { app: make } = await boot(t, { keysFile: file, readAuth: false });
  const app = await make();
  t.teardown(() => app.close());
  t.equal((await upload(app, { authorization: `Bearer ${key}` })).statusCode, 202);
  await run(['remove', '--name', 'field-team']);
  t.equal((await run(['list'])).stdout, '');
});
