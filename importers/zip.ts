import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { decoderFor } from './decoders.js';
import { detectEncoding } from './encoding.js';
import { ImportError } from './errors.js';
import { formatBytes, type ReadLimits } from './limits.js';

/**
 * Safe extraction of one layer from a .zip (yauzl reads the central directory; nothing is trusted):
 * 1. every entry name is decoded (UTF-8 flag, Info-ZIP Unicode path, else scored UTF-8/GBK — Chinese
 *    Windows zips carry GBK names) and the archive is refused if any name is absolute or climbs out
 *    (IMPORT_ZIP_TRAVERSAL) or any entry is a symlink (IMPORT_ZIP_SYMLINK);
 * 2. entry count, total declared size and per-entry ratio are capped before inflating (IMPORT_ZIP_BOMB);
 * 3. only the chosen layer's files are inflated, into a fresh private temp folder, under names we build,
 *    with a byte counter that stops an entry inflating past its declared size (a lying header).
 */
export interface ExtractedLayer {
  /** Path of the extracted main file (.shp, .geojson/.json or .csv). */
  main: string;
  layer: string;
  cleanup(): Promise<void>;
}

const MAIN = /\.(shp|geojson|json|csv|csv\.gz|geojson\.gz)$/i;
const SHAPEFILE_PARTS = ['shp', 'shx', 'dbf', 'prj', 'cpg'];
const MiB = 1024 * 1024;

interface Named { entry: Entry; name: string }

function zipError(code: 'IMPORT_BAD_ZIP' | 'IMPORT_ZIP_TRAVERSAL' | 'IMPORT_ZIP_SYMLINK' | 'IMPORT_ZIP_BOMB', message: string, file: string) {
  return new ImportError(code, message, { file });
}

/** The entry's name as its author meant it. */
function entryName(entry: Entry): string {
  const raw = entry.fileNameRaw;
  const unicode = entry.extraFields.find((f) => f.id === 0x7075);
  if (unicode && unicode.data.length > 5 && unicode.data[0] === 1) return unicode.data.subarray(5).toString('utf8');
  if (entry.generalPurposeBitFlag & 0x800) return raw.toString('utf8');
  return decoderFor(detectEncoding([raw]).encoding).decode(raw);
}

function checkEntry(entry: Entry, name: string, file: string): void {
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n) || n.includes('\0') || n.split('/').includes('..')) {
    throw zipError('IMPORT_ZIP_TRAVERSAL', `The zip holds an entry ${JSON.stringify(name)} that points outside the archive; it was refused.`, file);
  }
  const unix = entry.versionMadeBy >> 8 === 3;
  if (unix && ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000) {
    throw zipError('IMPORT_ZIP_SYMLINK', `The zip holds a symbolic link ${JSON.stringify(name)}; it was refused.`, file);
  }
  if (entry.isEncrypted() || !entry.canDecodeFileData()) {
    throw zipError('IMPORT_BAD_ZIP', `The zip entry ${JSON.stringify(name)} is encrypted or uses an unsupported compression method.`, file);
  }
}

/** Read and check the whole central directory; returns the file entries (no folders, no macOS extras). */
async function listEntries(zip: ZipFile, file: string, limits: ReadLimits): Promise<Named[]> {
  if (zip.entryCount > limits.maxZipEntries) {
    throw zipError('IMPORT_ZIP_BOMB', `The zip holds ${zip.entryCount} entries, more than the limit of ${limits.maxZipEntries}.`, file);
  }
  const out: Named[] = [];
  let total = 0;
  for await (const entry of zip.eachEntry()) {
    const name = entryName(entry);
    checkEntry(entry, name, file);
    total += entry.uncompressedSize;
    if (total > limits.maxZipBytes) {
      throw zipError('IMPORT_ZIP_BOMB', `The zip would unpack to more than ${formatBytes(limits.maxZipBytes)}.`, file);
    }
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > MiB && ratio > limits.maxZipRatio) {
      const message = `The zip entry ${JSON.stringify(name)} claims a compression ratio of ${Math.round(ratio)}:1, beyond the ${limits.maxZipRatio}:1 allowed.`;
      throw zipError('IMPORT_ZIP_BOMB', message, file);
    }
    const junk = /(^|\/)__MACOSX\//.test(name) || /(^|\/)\._/.test(name);
    if (!name.endsWith('/') && !junk) out.push({ entry, name: name.replace(/\\/g, '/') });
  }
  return out;
}

const stem = (name: string) => path.posix.basename(name).replace(MAIN, '');

/** The layer to read: the one asked for, or the only one. */
function chooseLayer(entries: Named[], wanted: string | undefined, file: string): Named {
  const mains = entries.filter((e) => MAIN.test(e.name));
  const pick = wanted === undefined
    ? mains
    : mains.filter((e) => stem(e.name).toLowerCase() === wanted.toLowerCase() || e.name === wanted);
  const list = mains.map((e) => e.name).join(', ') || 'none';
  if (pick.length === 0) {
    const message = wanted === undefined
      ? `The zip holds no shapefile, GeoJSON or CSV (entries: ${list}).`
      : `The zip holds no layer named ${JSON.stringify(wanted)} (layers: ${list}).`;
    throw new ImportError('IMPORT_LAYER_NOT_FOUND', message, { file });
  }
  if (pick.length > 1) {
    throw new ImportError('IMPORT_LAYER_AMBIGUOUS', `The zip holds several layers (${list}); choose one with the layer option.`, { file });
  }
  return pick[0];
}

/** The entries that make up the layer: a shapefile's sidecars in the same folder, else the file alone. */
const mainExt = (main: Named) => MAIN.exec(main.name)![1].toLowerCase();

function layerEntries(entries: Named[], main: Named): Array<Named & { ext: string }> {
  if (mainExt(main) !== 'shp') return [{ ...main, ext: mainExt(main) }];
  const base = main.name.slice(0, -4).toLowerCase();
  return entries
    .map((e) => ({ ...e, ext: path.posix.extname(e.name).slice(1).toLowerCase() }))
    .filter((e) => e.name.slice(0, -(e.ext.length + 1)).toLowerCase() === base && SHAPEFILE_PARTS.includes(e.ext));
}

/** Counts inflated bytes and stops the entry once it exceeds what its header declared. */
function byteCap(entry: Named, file: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > entry.entry.uncompressedSize) {
        const message = `The zip entry ${JSON.stringify(entry.name)} inflates to more than the ${entry.entry.uncompressedSize} bytes it declares.`;
        done(zipError('IMPORT_ZIP_BOMB', message, file));
      } else done(null, chunk);
    },
    flush(done: TransformCallback) {
      done(seen < entry.entry.uncompressedSize ? zipError('IMPORT_BAD_ZIP', `The zip entry ${JSON.stringify(entry.name)} is shorter than it declares.`, file) : null);
    },
  });
}

async function extract(zip: ZipFile, entry: Named, target: string, file: string): Promise<void> {
  const stream = await zip.openReadStreamPromise(entry.entry);
  await pipeline(stream, byteCap(entry, file), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
}

/** yauzl's own errors (bad signatures, truncated archive…) carry no code: they all mean "not a usable zip". */
function asZipError(err: unknown, file: string): unknown {
  if (err instanceof ImportError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new ImportError('IMPORT_BAD_ZIP', `The zip file cannot be read (${detail}).`, { file }, { cause: err });
}

export async function extractLayer(zipPath: string, wanted: string | undefined, limits: ReadLimits): Promise<ExtractedLayer> {
  let zip: ZipFile | null = null;
  let dir: string | null = null;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false });
    const entries = await listEntries(zip, zipPath, limits);
    const main = chooseLayer(entries, wanted, zipPath);
    const layer = stem(main.name);
    dir = await mkdtemp(path.join(os.tmpdir(), 'wanmi-zip-'));
    const safe = layer.replace(/[/\\:*?"<>|\0]/g, '_') || 'layer';
    for (const part of layerEntries(entries, main)) await extract(zip, part, path.join(dir, `${safe}.${part.ext}`), zipPath);
    const folder = dir;
    return { main: path.join(folder, `${safe}.${mainExt(main)}`), layer, cleanup: () => rm(folder, { recursive: true, force: true }) };
  } catch (err) {
    if (dir) await rm(dir, { recursive: true, force: true });
    throw asZipError(err, zipPath);
  } finally {
    zip?.close();
  }
}
