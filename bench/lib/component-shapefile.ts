import proj4 from 'proj4';
import { epsgDef } from '../../src/crs/index.js';
import { CGCS2000_PROJ4 } from '../../src/crs/def.js';
import type { Component, PointGeometry } from '../../src/domain/types.js';
import type { StoredFeature } from '../../importers/import-layers.js';
import { CGCS2000_GK_CM120_PRJ, writeShapefile, writerInput } from '../../importers/export/index.js';

/**
 * The import benchmark's input: `n` point components of the bench city as a census shapefile — GBK
 * .dbf with the census field names, coordinates projected to CGCS2000 / 3-degree Gauss-Krüger CM 120E
 * (EPSG:4549, Hangzhou's zone) with its .prj — written by Wanmi's own shapefile writer.
 */
export function pointComponents(components: readonly Component[], n: number): Component[] {
  const points = components.filter((c) => c.geometry.type === 'Point');
  if (points.length < n) throw new Error(`bench: only ${points.length} point components, ${n} wanted`);
  return points.slice(0, n);
}

export async function writeComponentShapefile(file: string, components: readonly Component[]): Promise<void> {
  const toGk = proj4(CGCS2000_PROJ4, epsgDef(4549)!.proj4);
  const projected = components.map((c) => ({
    ...c, geometry: { type: 'Point', coordinates: toGk.forward((c.geometry as PointGeometry).coordinates) } as PointGeometry,
  })) as unknown as StoredFeature[];
  const input = writerInput('components', async function* () { yield* projected; });
  await writeShapefile(file, input, { encoding: 'gbk', prj: CGCS2000_GK_CM120_PRJ });
}
