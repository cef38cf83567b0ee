// Child process: the Wanmi app serving tiles of the seeded bench city, on a random loopback port.
// Usage: node --import tsx bench/lib/serve-tiles.ts <scale> <components> <seed> <cacheMiB>;
// reports {port, tilesMs} over IPC.
//
// Writing 1M components to a store takes minutes and measures the store, not tiles. So the app runs over
// an empty GeoPackage and its live index gets tile sources cut from the same seeded rows as the parent's
// (the route, the TileService and the TileCache are the app's own code; only the rows come in directly).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { openStore } from '../../src/store/connect.js';
import { testConfig } from '../../test/helpers/app.js';
import { buildTileSources, TileCache, TileService } from '../../tiles/index.js';
import { buildBenchCity } from './city.js';

const [scale, components, seed, cacheMiB] = process.argv.slice(2).map(Number);
if (!process.send || !(scale > 0)) throw new Error('serve-tiles: run as a child with IPC and <scale> <components> <seed> <cacheMiB>');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanmi-bench-tiles-'));
const file = path.join(dir, 'empty.gpkg');
const store = await openStore({ kind: 'geopackage', file });
const app = await createApp({ config: testConfig({ kind: 'geopackage', file }), store });
const current = app.wanmi.index.current;
const { sources, tilesMs } = tileSources(current.dataVersion);
app.wanmi.index.swap({ ...current, tiles: new TileService(sources, new TileCache({ maxBytes: cacheMiB * 2 ** 20 })) });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send({ port: typeof address === 'object' && address ? address.port : 0, tilesMs, dataVersion: current.dataVersion });
/**
 * The sources, built from rows that are dropped afterwards: the app keeps only its indexes, and a ~1 GiB
 * heap of seeded rows left alive would make every major GC of the serving process scan it.
 */
function tileSources(dataVersion: number) {
  const { city } = buildBenchCity(scale, components, seed);
  const started = performance.now();
  const sources = buildTileSources(city, { dataVersion });
  return { sources, tilesMs: performance.now() - started };
}

const stop = async () => {
  await app.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
