// Child process: the Wanmi app over an existing GeoPackage, listening on a random loopback port.
// Usage: node --import tsx bench/lib/serve-wanmi.ts <file.gpkg>; reports {port, indexMs} over IPC.
import { createApp } from '../../src/app.js';
import { openStore } from '../../src/store/connect.js';
import { testConfig } from '../../test/helpers/app.js';

const file = process.argv[2];
if (!file || !process.send) throw new Error('serve-wanmi: run as a child with IPC and a GeoPackage path');
const store = await openStore({ kind: 'geopackage', file });
const app = await createApp({ config: testConfig({ kind: 'geopackage', file }), store });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.send({ port, indexMs: app.wanmi.index.current.buildMs, counts: app.wanmi.index.current.counts });
// The parent going away (or telling us to stop) ends the server.
const stop = async () => {
  await app.close();
  await store.close();
  process.exit(0);
};
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
