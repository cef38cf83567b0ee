import { nextMessage, runChild, startServer, type ChildServer } from './http.js';
import type { LoadJob, LoadResult } from './tile-load.js';

/** serve-tiles.ts: the Wanmi app serving the bench city's tiles. */
export function startTileServer(scale: number, components: number, seed: number, cacheMiB: number): Promise<ChildServer> {
  return startServer('serve-tiles.ts', [scale, components, seed, cacheMiB].map(String));
}

/** serve-bytes.ts: the control, a bare route answering each URL with the bytes in `file` (see writeBodies). */
export function startBytesServer(file: string): Promise<ChildServer> {
  return startServer('serve-bytes.ts', [file]);
}

/** One run of the raw load client (tile-load.ts) in its own process. */
export async function load(job: LoadJob): Promise<LoadResult> {
  const child = runChild('tile-load.ts', []);
  await nextMessage(child, 'tile-load.ts'); // {ready: true}
  const result = nextMessage(child, 'tile-load.ts');
  child.send(job);
  return (await result) as unknown as LoadResult;
}

/** URL → body, as one buffer: a JSON index line (url, length) then the bodies back to back. */
export function writeBodies(bodies: ReadonlyMap<string, Buffer>): Buffer {
  const index = JSON.stringify([...bodies].map(([url, b]) => [url, b.length]));
  return Buffer.concat([Buffer.from(`${index}\n`), ...bodies.values()]);
}

export function readBodies(data: Buffer): Map<string, Buffer> {
  const nl = data.indexOf(10);
  const index = JSON.parse(data.toString('utf8', 0, nl)) as Array<[string, number]>;
  const out = new Map<string, Buffer>();
  let off = nl + 1;
  for (const [url, length] of index) {
    out.set(url, data.subarray(off, off + length));
    off += length;
  }
  return out;
}
