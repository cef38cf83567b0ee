import { stat } from 'node:fs/promises';
import path from 'node:path';
import { findSidecars } from './shapefile.js';

/**
 * A stamp of a source file as it is on disk (size, modification time, inode; a shapefile's sidecars
 * too): two equal stamps mean nobody wrote to the file in between. The import takes one when it opens
 * the file and compares before it commits.
 */
export async function stampOf(file: string): Promise<string> {
  const files = /\.shp$/i.test(file) ? Object.values(await findSidecars(file)) : [file];
  const parts = await Promise.all(files.map(async (f) => {
    const s = await stat(f, { bigint: true });
    return `${path.basename(f)}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
  }));
  return parts.join('|');
}
