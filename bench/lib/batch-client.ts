// Child process: times POSTs of one batch body, kept out of the parent whose heap holds the whole city
// (receiving 30 MiB there means major GCs over a ~1 GiB heap, which a real client never pays).
// Says {ready: true}, receives {url, body, runs} over IPC, answers with the times and the last answer's counts.

export interface BatchJob {
  url: string;
  body: string;
  runs: number;
}

export interface BatchTimes {
  ms: number[];
  bytes: number;
  count: number;
  okCount: number;
}

/**
 * POSTs the JSON body `runs` times (after one warm-up) and times each request from send to the last
 * byte of the response; returns the times, the response size, and the parsed counts of the last.
 */
async function timeBatch({ url, body, runs }: BatchJob): Promise<BatchTimes> {
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

if (process.send) {
  process.once('message', async (job: BatchJob) => {
    const result = await timeBatch(job);
    process.send!(result, () => process.exit(0));
  });
  process.send({ ready: true });
}
