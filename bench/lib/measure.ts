import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full collection before each memory reading makes the deltas mean "retained by what was built".
v8.setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Throughput of one operation repeated `n` times per round. */
export interface Throughput {
  opsPerSec: number;
  /** Milliseconds of each timed round (after one untimed warm-up round). */
  roundsMs: number[];
  checksum: number;
}

/**
 * Runs `round` (which does n operations and returns a checksum, so the work can't be optimised away)
 * once to warm the JIT (unless `warmup` is false), then `rounds` times timed; the figure is the median round.
 */
export function throughput(n: number, round: () => number, { rounds = 3, warmup = true } = {}): Throughput {
  let checksum = warmup ? round() : 0;
  const roundsMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    checksum = round();
    roundsMs.push(performance.now() - t);
  }
  return { opsPerSec: n / (median(roundsMs) / 1000), roundsMs, checksum };
}

/** Times one build step and the memory it retains (heap + array buffers, after full collections). */
export function measureBuild<T>(build: () => T): { value: T; ms: number; retainedMB: number } {
  const before = retained();
  const t = performance.now();
  const value = build();
  const ms = performance.now() - t;
  return { value, ms, retainedMB: (retained() - before) / 2 ** 20 };
}

export function memoryLine(): string {
  collect();
  const m = process.memoryUsage();
  const mb = (x: number) => `${Math.round(x / 2 ** 20)} MiB`;
  return `rss ${mb(m.rss)}, heap used ${mb(m.heapUsed)}, external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)})`;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function retained(): number {
  collect();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
