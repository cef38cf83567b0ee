import fs from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CannonJob, CannonResult } from './cannon.js';
import type { BatchTimes } from './batch-client.js';

/** A server running in a child process on a loopback port. */
export interface ChildServer {
  port: number;
  info: Record<string, unknown>;
  /** CPU time the server process has used so far (user + system), in ms; null where /proc is missing. */
  cpuMs(): number | null;
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
    cpuMs: () => processCpuMs(child.pid),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/**
 * utime + stime of a process from /proc/<pid>/stat, in ms (clock ticks of 10 ms, Linux's USER_HZ 100).
 * Read around a load run, it gives the server's CPU per request: the cost of a request to the server
 * alone, where requests per second also carry the client's share of the same cores.
 */
function processCpuMs(pid: number | undefined): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return null;
  }
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
