import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CannonJob, CannonResult } from './cannon.js';
import type { BatchTimes } from './batch-client.js';

/** A server running in a child process on a loopback port. */
export interface ChildServer {
  port: number;
  info: Record<string, unknown>;
  stop(): Promise<void>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Starts one of the child scripts beside this file under tsx. */
export function runChild(script: string, args: string[]): ChildProcess {
  return fork(here(script), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The child's next IPC message (its exit before answering is an error). */
export function nextMessage(child: ChildProcess, what: string): Promise<Record<string, unknown>> {
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

/** Starts a server script beside this file (serve-*.ts) and waits for the {port, …} it reports. */
export async function startServer(script: string, args: string[] = []): Promise<ChildServer> {
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

/** Times a batch POST `runs` times (after a warm-up) from its own process; see batch-client.ts. */
export async function timeBatch(url: string, body: string, runs: number): Promise<BatchTimes> {
  const child = runChild('batch-client.ts', []);
  await nextMessage(child, 'batch-client.ts'); // {ready: true}
  const result = nextMessage(child, 'batch-client.ts');
  child.send({ url, body, runs });
  return (await result) as unknown as BatchTimes;
}
