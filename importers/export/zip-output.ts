import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { ExportResult } from './types.js';

/**
 * An export packed as one .zip, the form census data travels in (and the form `wanmi import` and
 * POST /v1/imports take): the writer runs into a private temp folder under the zip's base name
 * (components.zip → components.shp, .shx, .dbf, .prj, .cpg), the files are zipped (entry names in
 * UTF-8 with the language-encoding flag, so Chinese names survive), and the zip appears under its
 * name only when complete.
 */
export async function writeZipped(zipPath: string, extension: string, write: (out: string) => Promise<ExportResult>): Promise<ExportResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wanmi-export-'));
  try {
    const base = path.basename(zipPath).replace(/\.zip$/i, '');
    const result = await write(path.join(dir, `${base}.${extension}`));
    const zip = new yazl.ZipFile();
    for (const file of result.files) zip.addFile(file, path.basename(file));
    zip.end();
    const partial = `${zipPath}.partial`;
    await pipeline(zip.outputStream, createWriteStream(partial));
    await rename(partial, zipPath);
    return { ...result, files: [zipPath] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
