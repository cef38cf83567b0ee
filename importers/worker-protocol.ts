import type { StoreConfig } from '../src/config.js';
import type { ImportOptions, ImportProgress, ImportResult } from './import.js';

/**
 * Messages between the service and the import worker (importers/worker.ts). Everything here crosses
 * a thread by structured clone: plain data only, no functions, no open handles.
 */
export type WorkerImportOptions = Omit<ImportOptions, 'onProgress' | 'beforeCommit' | 'gazetteer' | 'dictionary'>;

export interface WorkerInput {
  /** The worker opens its own connection to the same store. */
  store: StoreConfig;
  /** The file to import (.zip, .shp with its sidecars beside it, .geojson, .csv). */
  file: string;
  options: WorkerImportOptions;
}

/** A failure inside the worker: an importer's stable code (without the WANMI_ prefix) or none. */
export interface WorkerFailure {
  /** `IMPORT_BAD_ZIP`, `IMPORT_UNKNOWN_LAYER`…; null for an unexpected error. */
  code: string | null;
  message: string;
  row?: number;
  field?: string;
  file?: string;
  /** For the log only (unexpected errors). */
  stack?: string;
}

export type WorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; result: ImportResult }
  | { type: 'failed'; failure: WorkerFailure };
