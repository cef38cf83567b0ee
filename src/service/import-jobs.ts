import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { ImportsConfig, StoreConfig } from '../config.js';
import { ImportJobErrorCodes, WanmiErrors } from '../errors.js';
import { readImport, type ImportRecord } from '../../importers/history.js';
import type { ImportProgress, ImportResult, ImportSummary } from '../../importers/import.js';
import type { ValidationReport } from '../../importers/report.js';
import { ImportWorkerError, startImportWorker, type ImportWorkerRun, type WorkerImportOptions, type WorkerInput } from '../../importers/worker-client.js';

/**
 * Import jobs behind POST /v1/imports: a FIFO queue run one at a time per process, each job on a
 * worker thread (importers/worker.ts), then the index brought up to the committed data version.
 *
 *   reserve → (route saves the upload into the job's folder) → enqueue → queued
 *     → parsing (worker started, file being opened) → validating (rows read and checked)
 *     → writing (the one transaction) → done | failed
 *
 * A job's record lives in memory for the life of the process (the newest MAX_FINISHED finished ones).
 * A job that reached the imports journal (applied, unchanged or rejected) is also readable from the
 * store after a restart; a job that was queued or running when the process stopped is gone (its
 * transaction never committed, so nothing was written) and its upload folder is removed at the next boot.
 */
export type JobState = 'queued' | 'parsing' | 'validating' | 'writing' | 'done' | 'failed';

export interface JobError {
  /** A stable WANMI_* code: the importer's (WANMI_IMPORT_BAD_ZIP…), WANMI_IMPORT_REJECTED, … */
  code: string;
  message: string;
  row?: number;
  field?: string;
  /** The file to blame, by name (never a server path). */
  file?: string;
}

export interface ImportJob {
  id: string;
  state: JobState;
  layer: string;
  mode: 'replace' | 'update';
  /** The uploaded files' names. */
  files: string[];
  /** The name of the API key that submitted the job. */
  submittedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Rows read so far (validate), rows written (write), or the index rebuild (index). */
  progress: { phase: 'queued' | 'read' | 'validate' | 'write' | 'index' | 'finished'; done: number; total: number | null };
  /** What the import did, once it ran: applied, unchanged (nothing to change), rejected (errors). */
  outcome: ImportResult['state'] | null;
  summary: (ImportSummary & { skippedRows: number[] }) | null;
  dataVersion: number | null;
  /** The validation report (same JSON as `wanmi import --json`), once validation finished. */
  report: ValidationReport | null;
  error: JobError | null;
}

export interface ImportRequest {
  /** The file to import, inside the reserved folder. */
  file: string;
  files: string[];
  options: WorkerImportOptions & { layer: string; mode: 'replace' | 'update' };
  submittedBy: string | null;
}

export interface Reservation {
  id: string;
  /** The job's upload folder (created). */
  dir: string;
  /** Gives the reservation back and removes the folder (the request was refused). */
  discard(): Promise<void>;
}

export interface ImportJobsDeps {
  store: StoreConfig;
  db: Knex;
  settings: ImportsConfig;
  log: FastifyBaseLogger;
  /** Rebuilds the index if the data version moved; false when it did not (or another rebuild runs). */
  refreshIndex(): Promise<boolean>;
  /** The data version the live index serves. */
  indexVersion(): number;
  /** Injected by tests; the worker thread by default. */
  startWorker?: (input: WorkerInput, onProgress: (p: ImportProgress) => void) => ImportWorkerRun;
}

const MAX_FINISHED = 200;
const JOB_DIR = /^job-[0-9a-f-]{36}$/;
const INDEX_WAIT_MS = 100;
const INDEX_WAIT_TRIES = 1200;

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();
  private readonly queue: Array<{ job: ImportJob; request: ImportRequest; dir: string }> = [];
  /** Reservations whose upload is still arriving: they count against the queue limit. */
  private readonly uploading = new Set<string>();
  private running: { job: ImportJob; run: ImportWorkerRun | null } | null = null;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly deps: ImportJobsDeps) {}

  /** Removes upload folders a previous process left behind (jobs that never finished). */
  async start(): Promise<void> {
    await mkdir(this.deps.settings.dir, { recursive: true });
    for (const name of await readdir(this.deps.settings.dir)) {
      if (JOB_DIR.test(name)) await rm(path.join(this.deps.settings.dir, name), { recursive: true, force: true });
    }
  }

  /** A folder for one upload, or WANMI_IMPORT_BUSY when WANMI_IMPORT_QUEUE jobs are already waiting. */
  async reserve(): Promise<Reservation> {
    if (this.closed) throw new WanmiErrors.NotReady();
    const waiting = this.queue.length + this.uploading.size;
    if (waiting >= this.deps.settings.maxQueued) throw new WanmiErrors.ImportBusy(waiting);
    const id = randomUUID();
    const dir = path.join(this.deps.settings.dir, `job-${id}`);
    this.uploading.add(id);
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      this.uploading.delete(id);
      throw err;
    }
    return {
      id, dir,
      discard: async () => {
        this.uploading.delete(id);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }

  /** Queues a reserved upload; the job starts when the ones before it have finished. */
  enqueue(reservation: Reservation, request: ImportRequest): ImportJob {
    this.uploading.delete(reservation.id);
    const job: ImportJob = {
      id: reservation.id, state: 'queued', layer: request.options.layer, mode: request.options.mode, files: request.files,
      submittedBy: request.submittedBy, createdAt: new Date().toISOString(), startedAt: null, finishedAt: null,
      progress: { phase: 'queued', done: 0, total: null }, outcome: null, summary: null, dataVersion: null, report: null, error: null,
    };
    this.jobs.set(job.id, job);
    this.queue.push({ job, request, dir: reservation.dir });
    this.pump();
    return job;
  }

  /** A job by id: from memory, else from the imports journal (finished jobs of earlier processes). */
  async get(id: string): Promise<ImportJob | null> {
    const job = this.jobs.get(id);
    if (job) return job;
    const record = await readImport(this.deps.db, id);
    return record ? fromJournal(record) : null;
  }

  /**
   * Cancels a queued or running job: a queued one never runs; a running one's worker is stopped, so its
   * transaction rolls back and nothing is written. Null when there is no such job in memory; the job
   * unchanged when it had already finished.
   */
  async cancel(id: string, by: string | null): Promise<ImportJob | null> {
    const job = this.jobs.get(id);
    if (!job || job.state === 'done' || job.state === 'failed') return job ?? null;
    const cancelled: JobError = { code: ImportJobErrorCodes.Cancelled, message: `Cancelled${by ? ` by ${by}` : ''}; nothing was written.` };
    const at = this.queue.findIndex((q) => q.job.id === id);
    if (at >= 0) {
      const [{ dir }] = this.queue.splice(at, 1);
      await settle(job, dir, 'failed', cancelled);
      return job;
    }
    if (this.running?.job === job) {
      this.cancelled.set(job.id, cancelled);
      await this.running.run?.terminate();
      await this.whenFinished(job);
    }
    return job;
  }

  private readonly cancelled = new Map<string, JobError>();

  private async whenFinished(job: ImportJob): Promise<void> {
    while (job.state !== 'done' && job.state !== 'failed') await new Promise((r) => setTimeout(r, 20));
  }

  /** Resolves when no job is running or queued. */
  whenIdle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the running worker (its transaction rolls back), fails the queued jobs, removes their uploads. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { job, dir } of this.queue.splice(0)) {
      await settle(job, dir, 'failed', { code: ImportJobErrorCodes.Interrupted, message: 'The service shut down before this import ran; nothing was written.' });
    }
    await this.running?.run?.terminate();
    await this.whenIdle();
  }

  private pump(): void {
    if (this.running) return;
    const next = this.closed ? undefined : this.queue.shift();
    if (!next) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    const { job, request, dir } = next;
    this.running = { job, run: null };
    void this.run(job, request, dir)
      .catch((err) => {
        this.deps.log.error({ err, importJob: job.id }, 'import job failed unexpectedly');
        if (job.state !== 'done' && job.state !== 'failed') finish(job, 'failed', internalError());
      })
      .finally(async () => {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        this.cancelled.delete(job.id);
        this.running = null;
        this.forgetOld();
        this.pump();
      });
  }

  private async run(job: ImportJob, request: ImportRequest, dir: string): Promise<void> {
    job.state = 'parsing';
    job.startedAt = new Date().toISOString();
    job.progress = { phase: 'read', done: 0, total: null };
    const start = this.deps.startWorker ?? startImportWorker;
    const run = start(
      { store: this.deps.store, file: request.file, options: { ...request.options, importId: job.id, sourceName: request.files.join(', ') } },
      (p) => onProgress(job, p),
    );
    this.running = { job, run };
    let result: ImportResult;
    try {
      result = await run.result;
    } catch (err) {
      await settle(job, dir, 'failed', this.failure(job, err, dir));
      return;
    }
    job.outcome = result.state;
    job.report = result.report;
    job.summary = { ...result.summary, skippedRows: result.skippedRows };
    job.dataVersion = result.dataVersion;
    if (result.state === 'rejected') {
      await settle(job, dir, 'failed', rejected(result.report));
      return;
    }
    if (result.state === 'applied') {
      job.progress = { phase: 'index', done: 0, total: null };
      await this.catchUpIndex(result.dataVersion);
    }
    this.deps.log.info({ importJob: job.id, layer: job.layer, outcome: result.state, summary: result.summary, dataVersion: result.dataVersion }, 'import finished');
    await settle(job, dir, 'done', null);
  }

  /** The index serves the import's data version before the job says done, so a lookup right after sees it. */
  private async catchUpIndex(version: number): Promise<void> {
    for (let i = 0; i < INDEX_WAIT_TRIES && !this.closed; i++) {
      if (this.deps.indexVersion() >= version) return;
      // false: nothing to do, or a rebuild (maybe of an older version) is running: look again shortly.
      if (!(await this.deps.refreshIndex())) await new Promise((r) => setTimeout(r, INDEX_WAIT_MS));
    }
    if (this.deps.indexVersion() < version) this.deps.log.warn({ dataVersion: version }, 'the index has not caught up with an import; the periodic refresh will');
  }

  /** The job's error: the importer's stable code with row/field/file, or WANMI_INTERNAL (details logged). */
  private failure(job: ImportJob, err: unknown, dir: string): JobError {
    const cancelled = this.cancelled.get(job.id);
    if (cancelled) {
      this.cancelled.delete(job.id);
      return cancelled;
    }
    if (this.closed) return { code: ImportJobErrorCodes.Interrupted, message: 'The service shut down during this import; nothing was written.' };
    if (err instanceof ImportWorkerError && err.failure.code) {
      const f = err.failure;
      return {
        code: `WANMI_${f.code}`, message: scrubPaths(f.message, [dir, os.tmpdir()]),
        ...(f.row !== undefined ? { row: f.row } : {}), ...(f.field ? { field: f.field } : {}), ...(f.file ? { file: path.basename(f.file) } : {}),
      };
    }
    this.deps.log.error({ err: err instanceof ImportWorkerError ? err.failure : err, importJob: job.id }, 'import worker failed');
    return internalError();
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state === 'done' || j.state === 'failed');
    for (const j of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED))) this.jobs.delete(j.id);
  }
}

/** Server paths out of a message meant for the client: `/srv/wanmi/uploads/job-…/a/b.shp` → `b.shp`. */
export function scrubPaths(message: string, roots: readonly string[]): string {
  let out = message;
  for (const root of roots) {
    const escaped = path.resolve(root).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`${escaped}[^\\s"'()]*/`, 'g'), '');
  }
  return out;
}

function internalError(): JobError {
  const internal = new WanmiErrors.Internal();
  return { code: internal.code, message: internal.message };
}

function onProgress(job: ImportJob, p: ImportProgress): void {
  if (p.phase === 'validate') {
    job.state = 'validating';
    job.progress = { phase: 'validate', done: p.done, total: p.total };
  } else {
    job.state = 'writing';
    job.progress = { phase: 'write', done: p.done, total: p.total };
  }
}

/** The upload goes before the job says it has finished, so a finished job has left nothing behind. */
async function settle(job: ImportJob, dir: string, state: 'done' | 'failed', error: JobError | null): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  finish(job, state, error);
}

function finish(job: ImportJob, state: 'done' | 'failed', error: JobError | null): void {
  job.state = state;
  job.error = error;
  job.finishedAt = new Date().toISOString();
  job.progress = { ...job.progress, phase: 'finished' };
}

function rejected(report: ValidationReport): JobError {
  return {
    code: ImportJobErrorCodes.Rejected,
    message: `Validation found errors in ${report.counts.invalid} of ${report.counts.rows} rows (see report); nothing was written.`,
  };
}

/** A finished import of an earlier process, as a job. */
function fromJournal(r: ImportRecord): ImportJob {
  const report = (r.report ?? null) as ValidationReport | null;
  const summary = (r.summary ?? null) as ImportJob['summary'];
  return {
    id: r.id, state: r.state === 'rejected' ? 'failed' : 'done', layer: r.layer, mode: r.mode as ImportJob['mode'],
    files: r.sourceName ? r.sourceName.split(', ') : [], submittedBy: null, createdAt: r.startedAt, startedAt: r.startedAt, finishedAt: r.finishedAt,
    progress: { phase: 'finished', done: report?.counts.rows ?? 0, total: report?.counts.rows ?? null },
    outcome: r.state, summary, dataVersion: null, report, error: r.state === 'rejected' && report ? rejected(report) : null,
  };
}
