// Entry of the import worker when Wanmi runs from its TypeScript sources (tsx, tap): a worker thread
// does not inherit the parent's module hooks, so it registers tsx itself and then loads worker.ts.
// The compiled service starts dist/importers/worker.js directly and never uses this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
