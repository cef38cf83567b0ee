// Child process: one autocannon run, kept out of the parent whose heap holds the whole city.
// Says {ready: true}, receives {url, paths, connections, seconds} over IPC, answers with the summary.
import autocannon from 'autocannon';

export interface CannonJob {
  url: string;
  paths: string[];
  connections: number;
  seconds: number;
}

export interface CannonResult {
  total: number;
  seconds: number;
  reqPerSec: number;
  non2xx: number;
  errors: number;
  latencyP50: number;
  latencyP99: number;
}

if (process.send) {
  process.once('message', async (job: CannonJob) => {
    const r = await autocannon({
      url: job.url,
      connections: job.connections,
      duration: job.seconds,
      // Each connection walks the list in turn, so the server sees many different points.
      requests: job.paths.map((path) => ({ method: 'GET', path })),
    });
    const seconds = r.duration;
    const result: CannonResult = {
      total: r.requests.total, seconds, reqPerSec: r.requests.total / seconds,
      non2xx: r.non2xx, errors: r.errors, latencyP50: r.latency.p50, latencyP99: r.latency.p99,
    };
    process.send!(result, () => process.exit(0));
  });
  process.send({ ready: true });
}
