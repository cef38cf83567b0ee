#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from './config.js';
import { startServer } from './server.js';
import { WANMI_VERSION } from './version.js';
import { openStore } from './store/connect.js';
import { migrationSource } from './store/migrations/index.js';
import { clearCity, isStoreEmpty, writeCity } from './store/city-writer.js';
import { buildDemoCityData, DEMO_SEED } from './service/demo-city.js';
import { setResponsibilityList } from './service/responsibility.js';
import { setClassDictionary } from './service/classes.js';
import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { addKey, isRole, listKeys, removeKey, ROLES } from './auth/index.js';
import { exportCommand, importCommand, validateCommand, type CommandIo, type CommandOptions } from '../importers/cli-commands.js';

/**
 * The `wanmi` command line. Configuration comes from the same WANMI_* variables as the service;
 * options given here win for the one run.
 */
const program = new Command()
  .name('wanmi')
  .description('Wanmi: spatial data platform and geocoding for digital city management (数字城管)')
  .version(WANMI_VERSION);

program
  .command('serve')
  .description('start the HTTP service')
  .option('--demo', 'seed the demo city when the store is empty (default unless WANMI_DEMO=false)')
  .action(async (opts: { demo?: boolean }) => {
    await startServer(loadConfig(process.env, { demo: opts.demo ?? false }));
  });

program
  .command('demo')
  .description('generate the deterministic demo city (杭州市上城区, synthetic) into the store')
  .option('--seed <n>', 'random seed', (v) => parseInt(v, 10), DEMO_SEED)
  .option('--scale <x>', 'size factor (1 = 5,000+ grids, 100,000+ components)', parseFloat, 1)
  .option('--reset', 'delete the layers already in the store first')
  .action(async (opts: { seed: number; scale: number; reset?: boolean }) => {
    const config = loadConfig(process.env);
    const store = await openStore(config.store);
    try {
      if (!(await isStoreEmpty(store.db))) {
        if (!opts.reset) throw new Error(`the store at ${store.location} already holds data; use --reset to replace it`);
        await clearCity(store.db);
      }
      const started = performance.now();
      const { city, classes } = buildDemoCityData({ seed: opts.seed, scale: opts.scale });
      const version = await writeCity(store.db, city, classes);
      const s = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${city.name}: ${city.adminAreas.length} admin areas, ${city.grids.length} grids, ${city.components.length} components, ` +
        `${city.addresses.length} addresses, ${city.roads.length} roads, ${city.zones.length} zones → ${store.location} (data version ${version}, ${s} s)`);
    } finally {
      await store.close();
    }
  });

program
  .command('responsibility <file>')
  .description("replace the city's responsibility list (责任清单, JSON; format in docs/ownership.md)")
  .action(async (file: string) => {
    const config = loadConfig(process.env);
    const store = await openStore(config.store);
    try {
      const { list, dataVersion } = await setResponsibilityList(store.db, JSON.parse(readFileSync(file, 'utf8')));
      console.log(`responsibility list "${list.data.city} ${list.data.version}" stored in ${store.location} (data version ${dataVersion}); running services reload it within WANMI_REFRESH_SECONDS`);
    } finally {
      await store.close();
    }
  });

program
  .command('classes [files...]')
  .description('store the class dictionary: GB/T 30428.2 plus the city\'s override files (format in docs/codes.md)')
  .action(async (files: string[]) => {
    const config = loadConfig(process.env);
    const store = await openStore(config.store);
    try {
      const { dictionary, dataVersion } = await setClassDictionary(store.db, files);
      console.log(`${dictionary.list('component').length} component and ${dictionary.list('event').length} event classes ` +
        `(${dictionary.versions.join(' + ')}) stored in ${store.location} (data version ${dataVersion})`);
    } finally {
      await store.close();
    }
  });

program
  .command('migrate')
  .description('bring the store schema up to date, or roll it back with --down')
  .option('--down', 'roll back every migration (drops all Wanmi tables)')
  .action(async (opts: { down?: boolean }) => {
    const config = loadConfig(process.env);
    const store = await openStore(config.store);
    try {
      if (opts.down) {
        await store.db.migrate.rollback({ migrationSource }, true);
        console.log(`rolled back all migrations in ${store.location}`);
      } else {
        console.log(`schema up to date in ${store.location}`);
      }
    } finally {
      await store.close();
    }
  });

/** The census importer's commands share their options; their bodies live in importers/cli-commands.ts. */
function withSourceOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--layer <layer>', 'grids | components | addresses | roads | admin | zones')
    .option('--mode <mode>', 'replace (the layer becomes the file) or update (add and change only)', 'replace')
    .option('--encoding <name>', 'text encoding of .dbf/.csv (gbk, utf-8, big5…); detected when omitted')
    .option('--crs <crs>', 'source CRS (EPSG:4549, gcj02, WKT…); from .prj when omitted')
    .option('--mapping <file>', 'field mapping JSON ({"components id": "部件编号", …})')
    .option('--source-layer <name>', 'which layer of a zip holding several')
    .option('--severity <list>', 'override severities: CODE=error|warning,… (e.g. GRID_GAP=error)')
    .option('--max-problems <n>', 'problems listed in the report (counts stay exact)', (v) => parseInt(v, 10))
    .option('--legacy14', 'accept 14-digit legacy grid codes')
    .option('--json', 'print the JSON report instead of the summary');
}

function importIo(options: { requireStore: boolean }): CommandIo {
  return {
    async openStore() {
      const config = loadConfig(process.env);
      // Validating must not create an empty GeoPackage as a side effect; importing may.
      if (!options.requireStore && config.store.kind === 'geopackage' && !existsSync(config.store.file)) return null;
      return openStore(config.store);
    },
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  };
}

withSourceOptions(program.command('validate <file>'))
  .description('validate a census file (shapefile/zip, GeoJSON, CSV) without importing it; exit 0 ok/warnings, 2 rejected')
  .option('--no-store', 'do not check against the grids and communities in the store')
  .action(async (file: string, opts: CommandOptions & { store: boolean }) => {
    const io = importIo({ requireStore: false });
    process.exitCode = await validateCommand(file, opts, opts.store ? io : { ...io, openStore: async () => null });
  });

withSourceOptions(program.command('import <file>'))
  .description('validate and import a census file into one layer, all or nothing, with per-feature history')
  .option('--skip-invalid', 'import the valid rows and list the invalid ones instead of rejecting the file')
  .option('--retire-missing', 'update mode: retire stored features of the surveyed areas that the file no longer lists')
  .option('--valid-from <date>', 'when the changes take effect in the history (ISO date); default now')
  .action(async (file: string, opts: CommandOptions) => {
    process.exitCode = await importCommand(file, opts, importIo({ requireStore: true }));
  });

program
  .command('export')
  .description('write one layer of the store as GeoJSON, CSV, shapefile or GeoPackage, with census field names (docs/export.md)')
  .requiredOption('--layer <layer>', 'grids | components | addresses | roads | admin | zones')
  .requiredOption('--format <format>', 'geojson | csv | shp | gpkg')
  .requiredOption('--out <path>', 'output file (for shp the .shp; a mixed components layer gives _point/_line/_polygon files)')
  .option('--encoding <name>', 'shapefile .dbf text: gbk (default, what ArcGIS/SuperMap/MapGIS expect) or utf-8')
  .option('--zip', 'pack the files as one .zip at --out (e.g. components.zip holding components.shp, .dbf, …)')
  .action(async (opts: { layer: string; format: string; out: string; encoding?: string; zip?: boolean }) => {
    // Exporting must not create an empty GeoPackage store as a side effect.
    process.exitCode = await exportCommand(opts, importIo({ requireStore: false }));
  });

const keys = program
  .command('keys')
  .description('API keys for writes (POST /v1/imports): stored hashed in the keys file (WANMI_API_KEYS_FILE); restart the service to apply');
const keysFile = (opts: { file?: string }): string => {
  const file = opts.file ?? loadConfig(process.env).auth?.keysFile;
  if (!file) throw new Error('no keys file: pass --file or set WANMI_API_KEYS_FILE');
  return file;
};
keys
  .command('add')
  .description('make a key, store its hash, and print the key (shown this once only)')
  .requiredOption('--name <name>', 'who holds the key (logged with each write)')
  .requiredOption('--role <role>', `${ROLES.join(' | ')}`)
  .option('--file <file>', 'keys file (default WANMI_API_KEYS_FILE)')
  .action(async (opts: { name: string; role: string; file?: string }) => {
    if (!isRole(opts.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const file = keysFile(opts);
    const { key, entry } = await addKey(file, opts.name, opts.role);
    console.error(`added ${entry.name} (${entry.role}) to ${file}; the key is shown once — store it now:`);
    console.log(key);
  });
keys
  .command('list')
  .description('names and roles of the configured keys (never the keys)')
  .option('--file <file>', 'keys file (default WANMI_API_KEYS_FILE)')
  .action(async (opts: { file?: string }) => {
    for (const e of await listKeys(keysFile(opts))) console.log(`${e.name}\t${e.role}`);
  });
keys
  .command('remove')
  .description('remove the key of a holder')
  .requiredOption('--name <name>', 'the holder whose key goes')
  .option('--file <file>', 'keys file (default WANMI_API_KEYS_FILE)')
  .action(async (opts: { name: string; file?: string }) => {
    const file = keysFile(opts);
    if (!(await removeKey(file, opts.name))) throw new Error(`no key named ${opts.name} in ${file}`);
    console.error(`removed ${opts.name} from ${file}`);
  });

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`wanmi: ${err.message}`);
  process.exitCode = 1;
});
