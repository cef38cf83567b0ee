import os from 'node:os';
import path from 'node:path';
import { envSchema } from 'env-schema';
import { Type, type Static } from 'typebox';

/**
 * Wanmi's configuration: environment variables, validated once at boot and passed explicitly.
 * Nothing else reads process.env.
 */
const EnvSchema = Type.Object({
  WANMI_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  WANMI_HOST: Type.String({ default: '0.0.0.0' }),
  WANMI_DATA: Type.String({ minLength: 1, default: 'data/wanmi.gpkg' }),
  WANMI_DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  WANMI_LOG_LEVEL: Type.String({ enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' }),
  WANMI_DEMO: Type.Optional(Type.Boolean()),
  WANMI_CORS_ORIGIN: Type.String({ default: '*' }),
  WANMI_REFRESH_SECONDS: Type.Number({ minimum: 0, default: 10 }),
  WANMI_PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  WANMI_TILE_CACHE_MB: Type.Number({ minimum: 0, default: 256 }),
  WANMI_TILE_CACHE_CONTROL: Type.String({ default: 'public, max-age=60' }),
  WANMI_GLYPHS_URL: Type.Optional(Type.String({ pattern: '^https?://.*\\{fontstack\\}.*\\{range\\}' })),
  WANMI_GLYPHS_FONT: Type.Optional(Type.String({ minLength: 1 })),
  WANMI_API_KEYS_FILE: Type.Optional(Type.String({ minLength: 1 })),
  WANMI_API_KEYS: Type.Optional(Type.String()),
  WANMI_READ_AUTH: Type.Optional(Type.Boolean()),
  WANMI_IMPORT_DIR: Type.Optional(Type.String({ minLength: 1 })),
  WANMI_IMPORT_MAX_MB: Type.Number({ exclusiveMinimum: 0, default: 512 }),
  WANMI_IMPORT_QUEUE: Type.Integer({ minimum: 1, default: 8 }),
});

export type StoreConfig =
  | { kind: 'geopackage'; file: string }
  | { kind: 'postgis'; url: string; schema?: string };

export interface WanmiConfig {
  port: number;
  host: string;
  store: StoreConfig;
  logLevel: string;
  /** Seed the demo city when the store is empty. */
  demo: boolean;
  /** Origins allowed to call the read endpoints ('*' or a comma-separated list). */
  corsOrigin: string;
  /** How often to check the store's data version and rebuild the index when another replica changed it (0 = never). */
  refreshSeconds: number;
  /** Absolute URL clients reach the service at (TileJSON and style URLs); default: from each request. */
  publicUrl?: string;
  /** Bytes of rendered tiles kept in memory. */
  tileCacheBytes: number;
  /** Cache-Control of tile URLs without the current data version. */
  tileCacheControl: string;
  /** A glyph server for the style's labels; absent: clients draw labels with their own fonts. */
  glyphs?: GlyphsConfig;
  /** API keys for writes (and reads, with readAuth). Absent: no keys, so every write is refused. */
  auth?: AuthConfig;
  /** Uploads of POST /v1/imports. Absent: the defaults of `importSettings`. */
  imports?: ImportsConfig;
}

export interface AuthConfig {
  /** A keys file (JSON array of {name, role, hash}, or `name role hash` lines), read at boot. */
  keysFile?: string;
  /** Inline entries, `name role hash` separated by `;` or newlines (WANMI_API_KEYS). */
  keys?: string;
  /** Reads need a valid key too (any role); /health and the API docs stay open. */
  readAuth: boolean;
}

export interface GlyphsConfig {
  /** URL template ending in {fontstack}/{range}.pbf. */
  url: string;
  /** The font stack(s) the glyph server has, for every label's `text-font`. */
  font: string[];
}

export interface ImportsConfig {
  /** Where uploads wait for their import; each job has its own folder, removed when the job ends. */
  dir: string;
  /** Largest upload (all files of one request together), in bytes. */
  maxBytes: number;
  /** Imports waiting behind the running one before POST /v1/imports answers 429. */
  maxQueued: number;
}

/**
 * Reads and validates the WANMI_* variables. `defaults.demo` is the default for WANMI_DEMO (on for
 * `npm start`, off for `wanmi serve`); an explicit WANMI_DEMO always wins.
 * Throws an error naming the bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, defaults: { demo?: boolean } = {}): WanmiConfig {
  const raw = envSchema<Static<typeof EnvSchema>>({ schema: EnvSchema, data: pickWanmi(env), dotenv: false });
  return {
    port: raw.WANMI_PORT,
    host: raw.WANMI_HOST,
    store: raw.WANMI_DATABASE_URL
      ? { kind: 'postgis', url: raw.WANMI_DATABASE_URL }
      : { kind: 'geopackage', file: raw.WANMI_DATA },
    logLevel: raw.WANMI_LOG_LEVEL,
    demo: raw.WANMI_DEMO ?? defaults.demo ?? false,
    corsOrigin: raw.WANMI_CORS_ORIGIN,
    refreshSeconds: raw.WANMI_REFRESH_SECONDS,
    publicUrl: raw.WANMI_PUBLIC_URL?.replace(/\/+$/, ''),
    tileCacheBytes: Math.round(raw.WANMI_TILE_CACHE_MB * 1024 * 1024),
    tileCacheControl: raw.WANMI_TILE_CACHE_CONTROL,
    glyphs: raw.WANMI_GLYPHS_URL
      ? { url: raw.WANMI_GLYPHS_URL, font: (raw.WANMI_GLYPHS_FONT ?? 'Noto Sans Regular').split(',').map((f) => f.trim()).filter(Boolean) }
      : undefined,
    auth: { keysFile: raw.WANMI_API_KEYS_FILE, keys: raw.WANMI_API_KEYS, readAuth: raw.WANMI_READ_AUTH ?? false },
    imports: {
      dir: raw.WANMI_IMPORT_DIR ?? path.join(path.dirname(raw.WANMI_DATA), 'uploads'),
      maxBytes: Math.round(raw.WANMI_IMPORT_MAX_MB * 1024 * 1024),
      maxQueued: raw.WANMI_IMPORT_QUEUE,
    },
  };
}

/** Import settings, with defaults for a configuration built by hand (tests): uploads beside the GeoPackage. */
export function importSettings(config: WanmiConfig): ImportsConfig {
  if (config.imports) return config.imports;
  const dir = config.store.kind === 'geopackage' ? path.join(path.dirname(config.store.file), 'uploads') : path.join(os.tmpdir(), 'wanmi-uploads');
  return { dir, maxBytes: 512 * 1024 * 1024, maxQueued: 8 };
}

/** Only WANMI_* variables are validated; an empty value counts as unset. */
function pickWanmi(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('WANMI_') && value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
