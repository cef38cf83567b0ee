import fs from 'node:fs';
import os from 'node:os';

/** The machine a run measured, printed with every result. */
export function machineInfo(): string[] {
  const cpus = os.cpus();
  return [
    `cpu     ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} cores`,
    `memory  ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free`,
    `system  ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`,
  ];
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadAvg(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(', ');
}

/**
 * Other processes share this machine; waits (bounded) until the 1-minute load average is at most
 * `threshold`, so the figures are taken on a quiet machine when possible. Returns what it saw.
 */
export async function waitForQuiet(threshold: number, maxSeconds: number): Promise<{ waitedS: number; quiet: boolean }> {
  const started = Date.now();
  while (os.loadavg()[0] > threshold && Date.now() - started < maxSeconds * 1000) {
    await new Promise((r) => setTimeout(r, 2000));
  }
  return { waitedS: Math.round((Date.now() - started) / 1000), quiet: os.loadavg()[0] <= threshold };
}

/** Jiffies of all CPUs from /proc/stat (Linux): total, and stolen by the hypervisor for other guests. */
export interface CpuTimes {
  total: number;
  steal: number;
}

export function cpuTimes(): CpuTimes | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: f.reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
  } catch {
    return null;
  }
}

/** Share of CPU time stolen between two readings: a virtual machine's hidden load, which loadavg misses. */
export function stealShare(from: CpuTimes | null, to: CpuTimes | null): string {
  if (!from || !to || to.total === from.total) return 'unknown';
  return `${((100 * (to.steal - from.steal)) / (to.total - from.total)).toFixed(0)} %`;
}

/**
 * The opening lines every benchmark prints: its title, the machine, the load; then, unless `--no-wait`
 * is given, a wait of up to 45 s for the 1-minute load to fall to 1.0 (other work skews every figure).
 */
export async function benchPreamble(title: string, args: readonly string[], log: (s: string) => void): Promise<void> {
  log(title);
  machineInfo().forEach((l) => log(`  ${l}`));
  log(`  load at start: ${loadAvg()}`);
  if (args.includes('--no-wait')) return;
  const w = await waitForQuiet(1.0, 45);
  log(`  waited ${w.waitedS} s for a 1-min load ≤ 1.0: ${w.quiet ? 'reached' : 'not reached'} (now ${loadAvg()})`);
}
