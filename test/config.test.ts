import t from 'tap';
import { loadConfig } from '../src/config.js';

t.test('defaults', async (t) => {
  const c = loadConfig({});
  t.equal(c.port, 3000);
  t.same(c.store, { kind: 'geopackage', file: 'data/wanmi.gpkg' });
  t.equal(c.demo, false);
  t.equal(loadConfig({}, { demo: true }).demo, true, 'npm start turns the demo on by default');
  t.equal(loadConfig({ WANMI_DEMO: 'false' }, { demo: true }).demo, false, 'an explicit WANMI_DEMO wins');
});

t.test('WANMI_DATABASE_URL wins over the GeoPackage', async (t) => {
  const c = loadConfig({ WANMI_DATABASE_URL: 'postgresql://u@h/db', WANMI_DATA: 'x.gpkg' });
  t.same(c.store, { kind: 'postgis', url: 'postgresql://u@h/db' });
});

t.test('bad values are rejected naming the variable', async (t) => {
  t.throws(() => loadConfig({ WANMI_PORT: 'abc' }), /WANMI_PORT/);
  t.throws(() => loadConfig({ WANMI_PORT: '70000' }), /WANMI_PORT/);
  t.throws(() => loadConfig({ WANMI_LOG_LEVEL: 'loud' }), /WANMI_LOG_LEVEL/);
  t.throws(() => loadConfig({ WANMI_DATABASE_URL: 'mysql://x' }), /WANMI_DATABASE_URL/);
  t.throws(() => loadConfig({ WANMI_DEMO: 'perhaps' }), /WANMI_DEMO/);
});

t.test('non-Wanmi variables are ignored', async (t) => {
  t.doesNotThrow(() => loadConfig({ PORT: 'abc', HOME: '/root' }));
});
