import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { WanmiErrors } from '../errors.js';
import { KEY_REQUIRED } from '../auth/index.js';
import { parseCrsSpec } from '../crs/index.js';
import type { ImportJob, ImportJobs, ImportRequest } from '../service/import-jobs.js';
import { checkMapping } from '../../importers/field-mapping.js';
import { normalizeEncoding } from '../../importers/encoding.js';
import { ImportError } from '../../importers/errors.js';
import { badUpload, receiveUpload } from './import-upload.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** The form fields of POST /v1/imports (besides the file parts); strings on the wire, converted here. */
const ImportFields = Type.Object({
  layer: Type.Union(['grids', 'components', 'addresses', 'roads', 'admin', 'zones'].map((l) => Type.Literal(l)), { description: 'The layer to import into' }),
  mode: Type.Optional(Type.Union([Type.Literal('replace'), Type.Literal('update')], { description: 'replace (default): the layer becomes the file; update: add and change by id' })),
  encoding: Type.Optional(Type.String({ description: 'Text encoding of .dbf/.csv (gbk, utf-8, big5…); detected when omitted' })),
  crs: Type.Optional(Type.String({ description: 'Source CRS (EPSG:4549, gcj02, WKT…); from .prj / the crs member when omitted' })),
  skipInvalid: Type.Optional(Type.Boolean({ description: 'Import the valid rows and list the invalid ones instead of rejecting the file' })),
  retireMissing: Type.Optional(Type.Boolean({ description: 'Update mode: retire stored features of the surveyed areas the file no longer lists' })),
  validFrom: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}', description: 'When the changes take effect in the history (ISO date); default now' })),
  sourceLayer: Type.Optional(Type.String({ description: 'Which layer of a zip holding several (file name without extension)' })),
  mapping: Type.Optional(Type.String({ description: 'Field mapping as JSON: {"components id": "部件编号", …}' })),
}, { additionalProperties: false });
type ImportFieldValues = Static<typeof ImportFields>;

/** The multipart form, for the OpenAPI document (the body is streamed to disk, not validated as JSON). */
const ImportForm = Type.Object({
  ...ImportFields.properties,
  file: Type.Array(Type.String({ format: 'binary' }), { description: 'One .zip, .geojson, .csv (optionally .gz), or the loose parts of one shapefile (.shp .shx .dbf .prj .cpg)' }),
});

const ProblemSchema = Type.Object({
  row: Nullable(Type.Integer()), featureId: Nullable(Type.String()), field: Type.Optional(Type.String()),
  code: Type.String(), severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]), message: Type.String(),
});

/** The validation report: the same JSON as `wanmi import --json` (docs/import-report.md). */
const ReportSchema = Type.Object({
  layer: Type.String(),
  verdict: Type.Union([Type.Literal('ok'), Type.Literal('warnings'), Type.Literal('rejected')]),
  counts: Type.Object({ rows: Type.Integer(), valid: Type.Integer(), invalid: Type.Integer(), warnings: Type.Integer() }),
  byCode: Type.Record(Type.String(), Type.Integer()),
  problems: Type.Array(ProblemSchema),
  truncated: Type.Boolean(),
  maxProblems: Type.Integer(),
  checksSkipped: Type.Array(Type.Object({ check: Type.String(), reason: Type.String() })),
  references: Type.Object({ gazetteer: Type.String(), dictionary: Type.Array(Type.String()) }),
});

const JobSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: Type.Union(['queued', 'parsing', 'validating', 'writing', 'done', 'failed'].map((s) => Type.Literal(s))),
  layer: Type.String(),
  mode: Type.String(),
  files: Type.Array(Type.String()),
  submittedBy: Nullable(Type.String({ description: 'Name of the API key that submitted the import' })),
  createdAt: Type.String(), startedAt: Nullable(Type.String()), finishedAt: Nullable(Type.String()),
  progress: Type.Object({
    phase: Type.Union(['queued', 'read', 'validate', 'write', 'index', 'finished'].map((s) => Type.Literal(s))),
    done: Type.Integer({ description: 'Rows validated or written so far' }),
    total: Nullable(Type.Integer()),
  }),
  outcome: Nullable(Type.Union([Type.Literal('applied'), Type.Literal('unchanged'), Type.Literal('rejected')])),
  summary: Nullable(Type.Object({
    added: Type.Integer(), changed: Type.Integer(), retired: Type.Integer(), unchanged: Type.Integer(), skipped: Type.Integer(),
    skippedRows: Type.Array(Type.Integer()),
  })),
  dataVersion: Nullable(Type.Integer()),
  report: Nullable(ReportSchema),
  error: Nullable(Type.Object({
    code: Type.String({ description: 'Stable code: docs/errors.md' }), message: Type.String(),
    row: Type.Optional(Type.Integer()), field: Type.Optional(Type.String()), file: Type.Optional(Type.String()),
  })),
});

const ErrorRef = { $ref: 'WanmiError#' } as const;

export interface ImportRoutesOptions {
  jobs: ImportJobs;
  /** WANMI_IMPORT_MAX_MB in bytes. */
  maxBytes: number;
}

/** POST /v1/imports (a census file → a job), GET /v1/imports/:id (its state, progress and report), DELETE (cancel). */
export const importRoutes: FastifyPluginAsyncTypebox<ImportRoutesOptions> = async (app, { jobs, maxBytes }) => {
  // Scoped to these routes: no other route accepts multipart bodies.
  await app.register(multipart);

  app.post('/v1/imports', {
    config: { auth: 'importer' },
    // The body is streamed to disk by receiveUpload, which checks it; the schema documents the form.
    attachValidation: true,
    schema: {
      summary: 'Upload a census file to import into a layer; answers 202 with the job',
      description: 'Needs an API key with the importer or admin role. The import runs in the background, one at a time; poll the `Location`.',
      tags: ['imports'],
      security: KEY_REQUIRED,
      consumes: ['multipart/form-data'],
      body: ImportForm,
      response: { 202: JobSchema, 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 413: ErrorRef, 429: ErrorRef },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw badUpload('the body must be multipart/form-data with the file part(s) and the fields');
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes + 2 * 1024 * 1024) throw new WanmiErrors.ImportTooLarge(Math.round((maxBytes / 1024 / 1024) * 100) / 100);
    const reservation = await jobs.reserve();
    let job: ImportJob;
    try {
      const upload = await receiveUpload(req, reservation.dir, maxBytes);
      const request = toRequest(upload.fields, upload.source, upload.files, req.apiKey?.name ?? null);
      job = jobs.enqueue(reservation, request);
    } catch (err) {
      await reservation.discard();
      throw err;
    }
    reply.code(202).header('Location', `/v1/imports/${job.id}`);
    return job;
  });

  app.get('/v1/imports/:id', {
    schema: {
      summary: 'An import job: state, progress, and the validation report or the error',
      tags: ['imports'],
      params: Type.Object({ id: Type.String({ format: 'uuid', description: 'The job id from POST /v1/imports' }) }),
      response: { 200: JobSchema, 400: ErrorRef, 404: ErrorRef },
    },
  }, async (req) => {
    const job = await jobs.get(req.params.id);
    if (!job) throw new WanmiErrors.ImportJobNotFound(req.params.id);
    return job;
  });

  app.delete('/v1/imports/:id', {
    config: { auth: 'admin' },
    schema: {
      summary: 'Cancel a queued or running import (nothing is written); needs the admin role',
      tags: ['imports'],
      security: KEY_REQUIRED,
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      response: { 200: JobSchema, 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef, 409: ErrorRef },
    },
  }, async (req) => {
    const before = await jobs.get(req.params.id);
    if (!before) throw new WanmiErrors.ImportJobNotFound(req.params.id);
    if (before.state === 'done' || before.state === 'failed') throw new WanmiErrors.ImportJobFinished(before.id, before.state);
    return (await jobs.cancel(req.params.id, req.apiKey?.name ?? null)) ?? before;
  });
};

/** The form fields checked against ImportFields and turned into the worker's options. */
function toRequest(raw: Record<string, string>, source: string, files: string[], submittedBy: string | null): ImportRequest {
  const fields = Value.Convert(ImportFields, { ...raw }) as ImportFieldValues;
  const first = [...Value.Errors(ImportFields, fields)][0];
  if (first) throw fieldError(first);
  if (fields.validFrom !== undefined && Number.isNaN(Date.parse(fields.validFrom))) {
    throw Object.assign(new WanmiErrors.BadParameter(`validFrom ${JSON.stringify(fields.validFrom)} is not an ISO date`), { field: 'validFrom' });
  }
  if (fields.encoding !== undefined && !normalizeEncoding(fields.encoding)) {
    throw importerError('IMPORT_BAD_ENCODING', `The encoding ${JSON.stringify(fields.encoding)} is not one this service can decode.`, 'encoding');
  }
  if (fields.crs !== undefined && !knownCrs(fields.crs)) {
    throw importerError('IMPORT_UNKNOWN_CRS', `The CRS ${JSON.stringify(fields.crs.slice(0, 200))} is not one Wanmi knows.`, 'crs');
  }
  return {
    file: source, files, submittedBy,
    options: {
      layer: fields.layer, mode: fields.mode ?? 'replace', encoding: fields.encoding, crs: fields.crs,
      skipInvalid: fields.skipInvalid, retireMissing: fields.retireMissing, validFrom: fields.validFrom, sourceLayer: fields.sourceLayer,
      mapping: fields.mapping !== undefined ? parseMapping(fields.mapping) : undefined,
    },
  };
}

/** A schema error in plain words, naming the field: unknown, missing, not one of the allowed values, … */
function fieldError(e: { instancePath: string; params: unknown; message: string }): Error {
  const props = ImportFields.properties as Record<string, { anyOf?: Array<{ const?: unknown }> }>;
  const required = (e.params as { requiredProperties?: string[] }).requiredProperties?.[0];
  const field = required ?? e.instancePath.replace(/^\//, '').split('/')[0];
  const allowed = props[field]?.anyOf?.map((s) => s.const).filter((c) => c !== undefined);
  const message = required ? `${field} is required`
    : !(field in props) ? `${field} is not a field of an import (fields: ${Object.keys(props).join(', ')})`
      : allowed?.length ? `${field} must be one of ${allowed.join(', ')}`
        : `${field} ${e.message}`;
  return Object.assign(new WanmiErrors.BadParameter(message), { field });
}

function parseMapping(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw importerError('IMPORT_BAD_MAPPING', 'The field mapping is not valid JSON.', 'mapping');
  }
  try {
    return checkMapping(json);
  } catch (err) {
    if (err instanceof ImportError) throw importerError(err.code, err.message, 'mapping');
    throw err;
  }
}

function knownCrs(text: string): boolean {
  try {
    return parseCrsSpec(text) !== null;
  } catch {
    return false;
  }
}

/** An importer's error refused at the door: 400 with its WANMI_IMPORT_* code and the field to blame. */
function importerError(code: string, message: string, field: string): Error {
  return Object.assign(new Error(message), { code: `WANMI_${code}`, statusCode: 400, field });
}
