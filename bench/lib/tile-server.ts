import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildServer } from './http.js';
import type { LoadJob, LoadResult } from './tile-load.js';

/** serve-tiles.ts: the Wanmi app serving the bench city's tiles. */
export function startTileServer(scale: number, components: number, seed: number, cacheMiB: number): Promise<ChildServer> {
  return startChild('serve-tiles.ts', [scale, components, seed, cacheMiB].map(String));
}

/** serve-bytes.ts: the control, a bare route answering each URL with the bytes in `file` (see writeBodies). */
export function startBytesServer(file: string): Promise<ChildServer> {
  return startChild('serve-bytes.ts', [file]);
}

/** One run of the raw load client (tile-load.ts) in its own process. */
export async function load(job: LoadJob): Promise<LoadResult> {
  const child = spawnChild('tile-load.ts', []);
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

function spawnChild(name: string, args: string[]) {
  const script = fileURLToPath(new URL(name, import.meta.url));
  return fork(script, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function nextMessage(child: ReturnType<typeof spawnChild>, name: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${name} exited with ${code} before answering`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (m) => {
      child.off('exit', onExit);
      child.off('error', reject);
      resolve(m as Record<string, unknown>);
    });
  });
}

/**
 * Starts a script beside this file in a child process under tsx and waits for its {port}. The same
 * protocol as http.ts's startServer, kept apart so that file stays as the lookup benchmark uses it.
 */
async function startChild(name: string, args: string[]): Promise<ChildServer> {
  const child = spawnChild(name, args);
  const info = await nextMessage(child, name);
  return {
    port: info.port as number, info,
    stop: () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}
