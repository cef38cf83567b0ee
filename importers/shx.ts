import type { FileBytes } from './byte-reader.js';
import { ImportError } from './errors.js';
import { HEADER_BYTES, parseShpHeader, type ShpHeader } from './shp.js';

/** The .shx record index: byte offset and content length of each .shp record. */
export interface ShxIndex {
  count: number;
  offsets: Float64Array;
  lengths: Float64Array;
}

function mismatch(message: string, file: string, row?: number): ImportError {
  return new ImportError('IMPORT_SHX_MISMATCH', message, row === undefined ? { file } : { file, row });
}

/**
 * Read and check the .shx against its .shp: 1. a valid header of the same shape type; 2. exactly
 * 100 + 8n bytes; 3. every entry points inside the .shp, after the header, after the previous record.
 * 8 bytes per record stay in memory (8 MB for a million records).
 */
export async function readShx(file: FileBytes, shp: ShpHeader): Promise<ShxIndex> {
  const head = await file.readAt(0, HEADER_BYTES);
  let header: ShpHeader;
  try {
    header = parseShpHeader(head, file.size, file.path, '.shx');
  } catch (err) {
    if (err instanceof ImportError) throw mismatch(`The .shx index is unusable: ${err.message}`, file.path);
    throw err;
  }
  if (header.shapeType !== shp.shapeType) throw mismatch('The .shx and .shp disagree on the shape type.', file.path);
  if ((header.declaredBytes - HEADER_BYTES) % 8 !== 0) {
    throw mismatch(`The .shx length ${header.declaredBytes} is not 100 + 8 × records.`, file.path);
  }
  const count = (header.declaredBytes - HEADER_BYTES) / 8;
  const body = await file.readAt(HEADER_BYTES, count * 8);
  const offsets = new Float64Array(count);
  const lengths = new Float64Array(count);
  let end = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    offsets[i] = body.readInt32BE(8 * i) * 2;
    lengths[i] = body.readInt32BE(8 * i + 4) * 2;
    if (offsets[i] < end || offsets[i] + 8 + lengths[i] > shp.declaredBytes) {
      throw mismatch(`Entry ${i + 1} of the .shx points outside the .shp (byte ${offsets[i]}, ${lengths[i]} bytes).`, file.path, i + 1);
    }
    end = offsets[i] + 8 + lengths[i];
  }
  return { count, offsets, lengths };
}
