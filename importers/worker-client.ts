import { Worker } from 'node:worker_threads';
import type { ImportProgress, ImportResult } from './import.js';
import type { WorkerFailure, WorkerInput, WorkerMessage } from './worker-protocol.js';

export type { WorkerFailure, WorkerImportOptions, WorkerInput } from './worker-protocol.js';

/** The worker ended without a result: the failure it reported, or why it died. */
export class ImportWorkerError extends Error {
  constructor(readonly failure: WorkerFailure) {
    super(failure.message);
    this.name = 'ImportWorkerError';
  }
}

export interface ImportWorkerRun {
  /** Resolves with the import's result; rejects with an ImportWorkerError. */
  readonly result: Promise<ImportResult>;
  /** Stops the worker; an unfinished transaction dies with its connection, so nothing is written. */
  terminate(): Promise<void>;
}

/**
 * Runs `importLayer` on a worker thread (importers/worker.ts). From the compiled service the worker
 * is dist/importers/worker.js; from the TypeScript sources (tsx in development, tap in tests) it is
 * worker-entry.mjs, which registers tsx inside the worker before loading worker.ts.
 */
export function startImportWorker(input: WorkerInput, onProgress: (p: ImportProgress) => void = () => {}): ImportWorkerRun {
  const fromSource = import.meta.url.endsWith('.ts');
  const worker = fromSource
    ? new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { input, module: new URL('./worker.ts', import.meta.url).href }, execArgv: [] })
    : new Worker(new URL('./worker.js', import.meta.url), { workerData: { input } });
  let settled = false;
  const result = new Promise<ImportResult>((resolve, reject) => {
    const fail = (failure: WorkerFailure) => {
      if (settled) return;
      settled = true;
      reject(new ImportWorkerError(failure));
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.progress);
      else if (m.type === 'done' && !settled) {
        settled = true;
        resolve(m.result);
      } else if (m.type === 'failed') fail(m.failure);
    });
    worker.on('error', (err) => fail({ code: null, message: err.message, stack: err.stack }));
    worker.on('exit', (code) => fail({ code: null, message: `the import worker exited (code ${code}) without a result` }));
  });
  return {
    result,
    terminate: async () => {
      await worker.terminate();
    },
  };
}
