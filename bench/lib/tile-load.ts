// Child process: a minimal HTTP/1.1 keep-alive load client that frames responses by Content-Length and
// skips their bodies without decoding them. Says {ready: true}, receives a LoadJob over IPC, answers with
// a LoadResult.
//
// Why not autocannon alone: autocannon appends every response body to a string (`req.body += data`), so a
// binary body costs the client a UTF-8 decode of every byte. Measured here: one Fastify route sending
// 13.5 KB answered 44–51 k req/s under autocannon when the bytes were all 0x07 (one-byte fast path) and
// 12–16 k req/s when they were random; the server sat half idle. For MVT bodies that measures the client.
import net from 'node:net';

export interface LoadJob {
  port: number;
  paths: string[];
  connections: number;
  seconds: number;
  /** Extra request header lines, e.g. ['Accept-Encoding: gzip']. */
  headers?: string[];
}

export interface LoadResult {
  total: number;
  seconds: number;
  reqPerSec: number;
  non2xx: number;
  errors: number;
  /** Response body bytes received (compressed size when the server compressed). */
  bodyBytes: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Runs `connections` sequential request loops for `seconds`, each cycling the paths from its own offset. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  const requests = job.paths.map((p) => Buffer.from(
    `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1:${job.port}\r\n${(job.headers ?? []).map((h) => `${h}\r\n`).join('')}\r\n`, 'latin1',
  ));
  const result = { total: 0, non2xx: 0, errors: 0, bodyBytes: 0 };
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  const loops = Array.from({ length: job.connections }, (_, c) => new Promise<void>((done) => {
    const socket = net.connect(job.port, '127.0.0.1');
    socket.setNoDelay(true);
    let next = Math.floor((c * requests.length) / job.connections);
    let head: Buffer | null = null; // a response head split across chunks
    let body = -1; // body bytes still to skip; -1 while reading a head
    const send = () => {
      if (performance.now() >= deadline) {
        socket.end();
        return done();
      }
      socket.write(requests[next]);
      next = (next + 1) % requests.length;
    };
    socket.on('data', (chunk: Buffer) => {
      const buf = head ? Buffer.concat([head, chunk]) : chunk;
      head = null;
      let off = 0;
      while (off < buf.length) {
        if (body < 0) {
          const end = buf.indexOf(HEAD_END, off);
          if (end < 0) {
            head = buf.subarray(off);
            return;
          }
          const text = buf.toString('latin1', off, end);
          const status = Number(text.slice(9, 12));
          if (status < 200 || status >= 300) result.non2xx++;
          const m = /\r\ncontent-length:\s*(\d+)/i.exec(text);
          body = m ? Number(m[1]) : 0;
          result.bodyBytes += body;
          off = end + 4;
        }
        const take = Math.min(body, buf.length - off);
        body -= take;
        off += take;
        if (body === 0) {
          body = -1;
          result.total++;
          send();
        }
      }
    });
    socket.on('error', () => {
      result.errors++;
      done();
    });
    socket.on('connect', send);
  }));
  return Promise.all(loops).then(() => {
    const seconds = (performance.now() - started) / 1000;
    return { ...result, seconds, reqPerSec: result.total / seconds };
  });
}

if (process.send) {
  process.once('message', async (job: LoadJob) => {
    const r = await runLoad(job);
    process.send!(r, () => process.exit(0));
  });
  process.send({ ready: true });
}
