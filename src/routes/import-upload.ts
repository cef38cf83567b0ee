import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { WanmiErrors } from '../errors.js';

/**
 * Receiving an import upload: multipart parts to files in the job's folder, text fields to a record,
 * then which file is the source. Limits: `maxBytes` for all files together (413
 * WANMI_IMPORT_TOO_LARGE as soon as it is passed, without reading further), MAX_FILES files, MAX_FIELDS
 * fields of at most 1 MiB each (a field mapping is small).
 */
export const MAX_FILES = 16;
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 1024 * 1024;

/** One source per upload: an archive or a single-file format, or the loose parts of one shapefile. */
const SINGLE = /\.(zip|geojson|json|csv)(\.gz)?$/i;
const SHAPEFILE_PART = /\.(shp|shx|dbf|prj|cpg|sbn|sbx|qix|fix|xml|qmd)$/i;

export interface Upload {
  /** The file the importer opens (the .zip, .geojson, .csv, or the .shp beside its sidecars). */
  source: string;
  /** Names of the files received, in order. */
  files: string[];
  fields: Record<string, string>;
}

export function badUpload(message: string, field = 'file'): Error {
  return Object.assign(new WanmiErrors.ImportBadUpload(message), { field });
}

export async function receiveUpload(req: FastifyRequest, dir: string, maxBytes: number): Promise<Upload> {
  const files: string[] = [];
  const seen = new Set<string>();
  const fields: Record<string, string> = {};
  let total = 0;
  const tooLarge = () => new WanmiErrors.ImportTooLarge(Math.round((maxBytes / 1024 / 1024) * 100) / 100);
  try {
    const parts = req.parts({ limits: { fileSize: maxBytes, files: MAX_FILES, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FILES + MAX_FIELDS } });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname in fields) throw badUpload(`the field ${part.fieldname} is given twice`, part.fieldname);
        if (part.valueTruncated) throw badUpload(`the field ${part.fieldname} is longer than ${MAX_FIELD_BYTES} bytes`, part.fieldname);
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const name = safeName(part.filename);
      if (seen.has(name.toLowerCase())) throw badUpload(`the file ${name} is uploaded twice`);
      seen.add(name.toLowerCase());
      files.push(name);
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          total += chunk.length;
          done(total > maxBytes ? tooLarge() : null, chunk);
        },
      });
      await pipeline(part.file, count, createWriteStream(path.join(dir, name), { flags: 'wx' }));
      if (part.file.truncated) throw tooLarge();
    }
  } catch (err) {
    throw uploadError(err, tooLarge);
  }
  return { source: chooseSource(files, dir), files, fields };
}

/** @fastify/multipart's and busboy's errors as Wanmi's, by code (never by message). */
function uploadError(err: unknown, tooLarge: () => Error): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('WANMI_')) return err;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge();
  if (code === 'FST_FILES_LIMIT') return badUpload(`at most ${MAX_FILES} files per import`);
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') return badUpload(`at most ${MAX_FIELDS} fields per import`, 'fields');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return badUpload('the body must be multipart/form-data');
  if (code === 'FST_PROTO_VIOLATION') return badUpload('a field is named __proto__', 'fields');
  // Anything else from the multipart parser is a malformed body (busboy errors carry no code).
  if (err instanceof Error && !(err as { statusCode?: number }).statusCode) return badUpload('the multipart body is malformed');
  return err;
}

/** A part's file name as a plain name in the job folder: no directories, no control characters. */
function safeName(filename: string | undefined): string {
  const name = path.basename((filename ?? '').replace(/\\/g, '/')).trim();
  if (!name || name === '.' || name === '..' || /[\u0000-\u001f\u007f]/.test(name) || Buffer.byteLength(name) > 255) {
    throw badUpload(`the file name ${JSON.stringify(filename ?? '')} cannot be used`);
  }
  if (!SINGLE.test(name) && !SHAPEFILE_PART.test(name)) {
    throw badUpload(`${name} is none of .zip, .geojson, .json, .csv (optionally .gz), or a shapefile part (.shp .shx .dbf .prj .cpg)`);
  }
  return name;
}

/**
 * The source among the uploaded files: the one .zip/.geojson/.json/.csv when it comes alone, else the
 * one .shp, whose sidecars must share its name (the reader finds them by name).
 */
export function chooseSource(files: readonly string[], dir: string): string {
  if (files.length === 0) throw badUpload('no file: send the data as a multipart file part');
  const singles = files.filter((f) => SINGLE.test(f));
  if (singles.length > 0) {
    if (files.length > 1) throw badUpload(`send one source per import: ${singles[0]} came with ${files.length - 1} other file(s)`);
    return path.join(dir, singles[0]);
  }
  const shps = files.filter((f) => /\.shp$/i.test(f));
  if (shps.length !== 1) throw badUpload(shps.length === 0 ? 'shapefile parts without a .shp' : `send one shapefile per import, not ${shps.length}`);
  const stem = shps[0].slice(0, -4).toLowerCase();
  const stranger = files.find((f) => !f.toLowerCase().startsWith(`${stem}.`));
  if (stranger) throw badUpload(`${stranger} does not belong to ${shps[0]} (a shapefile's parts share its name)`);
  return path.join(dir, shps[0]);
}
