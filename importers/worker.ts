import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../src/store/connect.js';
import { ImportError } from './errors.js';
import { importLayer } from './import.js';
import { ImportRunError } from './import-errors.js';
import type { WorkerFailure, WorkerInput, WorkerMessage } from './worker-protocol.js';

/**
 * The import worker: runs the whole `importLayer` (read → map → validate → one write transaction)
 * on its own thread with its own store connection, so the service's event loop keeps answering while
 * a large file is parsed, validated and written. It posts progress, then one `done` or `failed`
 * message, and exits. Started by worker-client.ts; never imported by the service itself.
 */
const port = parentPort;
if (!port) throw new Error('importers/worker.ts runs as a worker thread (see worker-client.ts)');
const { input } = workerData as { input: WorkerInput };
const post = (m: WorkerMessage) => port.postMessage(m);

try {
  const store = await openStore(input.store);
  try {
    const result = await importLayer(store, input.file, { ...input.options, onProgress: (progress) => post({ type: 'progress', progress }) });
    post({ type: 'done', result });
  } finally {
    await store.close();
  }
} catch (err) {
  post({ type: 'failed', failure: describe(err) });
}

function describe(err: unknown): WorkerFailure {
  if (err instanceof ImportError) {
    return { code: err.code, message: err.message, ...(err.row !== undefined ? { row: err.row } : {}), ...(err.field ? { field: err.field } : {}), ...(err.file ? { file: err.file } : {}) };
  }
  if (err instanceof ImportRunError) return { code: err.code, message: err.message };
  const e = err instanceof Error ? err : new Error(String(err));
  return { code: null, message: e.message, stack: e.stack };
}
