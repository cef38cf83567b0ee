import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CannonJob, CannonResult } from './cannon.js';

/** A server running in a child process on a loopback port. */
export interface ChildServer {
  port: number;
  info: Record<string, unknown>;
  stop(): Promise<void>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Starts one of the child scripts beside this file under tsx. */
function runChild(script: string, args: string[]): ChildProcess {
  return fork(here(script), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The child's next IPC message (its exit before answering is an error). */
function nextMessage(child: ChildProcess, what: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${what} exited with ${code} before answering`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (m) => {
      child.off('exit', onExit);
      child.off('error', reject);
      resolve(m as Record<string, unknown>);
    });
  });
}

export async function startServer(script: 'serve-wanmi.ts' | 'serve-hello.ts', args: string[] = []): Promise<ChildServer> {
  const child = runChild(script, args);
  const info = await nextMessage(child, script);
  return {
    port: info.port as number, info,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** One autocannon run from its own process. */
export async function cannon(job: CannonJob): Promise<CannonResult> {
  const child = runChild('cannon.ts', []);
  await nextMessage(child, 'cannon.ts'); // {ready: true}: its listener is in place
  const result = nextMessage(child, 'cannon.ts');
  child.send(job);
  return (await result) as unknown as CannonResult;
}

/**
 * POSTs the same JSON body `runs` times (after one warm-up) and times each request from send to the
 * last byte of the response; returns the times, the response size, and the parsed counts of the last.
 */
export async function timeBatch(url: string, body: string, runs: number): Promise<{ ms: number[]; bytes: number; count: number; okCount: number }> {
  const post = async () => {
    const t = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const bytes = await res.arrayBuffer();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${Buffer.from(bytes).toString('utf8', 0, 300)}`);
    return { ms, bytes };
  };
  await post();
  const ms: number[] = [];
  let last: ArrayBuffer = new ArrayBuffer(0);
  for (let r = 0; r < runs; r++) {
    const { ms: m, bytes } = await post();
    ms.push(m);
    last = bytes;
  }
  const parsed = JSON.parse(Buffer.from(last).toString('utf8')) as { count: number; okCount: number };
  return { ms, bytes: last.byteLength, count: parsed.count, okCount: parsed.okCount };
}
