import type { Geometry } from '../src/domain/types.js';
import { SequentialReader, type FileBytes } from './byte-reader.js';
import { ImportError } from './errors.js';
import { shortFileError } from './limits.js';
import { decodeShape, SHAPE_TYPES } from './shp-geometry.js';
import type { ShxIndex } from './shx.js';

/** The 100-byte main file header (.shp and .shx share its layout). */
export interface ShpHeader {
  shapeType: number;
  /** File length the header declares, in bytes. */
  declaredBytes: number;
  /** xmin, ymin, xmax, ymax in the file's CRS. */
  bbox: [number, number, number, number];
}

const FILE_CODE = 9994;
const VERSION = 1000;
export const HEADER_BYTES = 100;

/**
 * Check and decode a .shp/.shx header: file code 9994 (big-endian), version 1000, a known shape type, and
 * a declared length the file can back (shortFileError decides truncated vs. corrupt).
 */
export function parseShpHeader(buf: Buffer, fileSize: number, file: string, what = '.shp'): ShpHeader {
  if (fileSize < HEADER_BYTES) {
    throw new ImportError('IMPORT_TRUNCATED', `The ${what} file is ${fileSize} bytes; even its header needs 100.`, { file });
  }
  if (buf.readInt32BE(0) !== FILE_CODE || buf.readInt32LE(28) !== VERSION) {
    throw new ImportError('IMPORT_BAD_SHP', `The ${what} file is not a shapefile: its header lacks the shapefile signature (file code 9994, version 1000).`, { file });
  }
  const shapeType = buf.readInt32LE(32);
  if (shapeType === 31) {
    throw new ImportError('IMPORT_UNSUPPORTED_SHAPE', 'MultiPatch (3D surface) shapefiles cannot be imported.', { file });
  }
  if (!(shapeType in SHAPE_TYPES)) {
    throw new ImportError('IMPORT_BAD_SHP', `Unknown shape type ${shapeType} in the ${what} header.`, { file });
  }
  const declaredBytes = buf.readInt32BE(24) * 2;
  if (declaredBytes < HEADER_BYTES) {
    throw new ImportError('IMPORT_BAD_SHP', `The ${what} header declares an impossible length of ${declaredBytes} bytes.`, { file });
  }
  if (declaredBytes > fileSize) throw shortFileError(declaredBytes, fileSize, what, file);
  const bbox: ShpHeader['bbox'] = [buf.readDoubleLE(36), buf.readDoubleLE(44), buf.readDoubleLE(52), buf.readDoubleLE(60)];
  return { shapeType, declaredBytes, bbox };
}

export interface ShpRecord {
  row: number;
  geometry: Geometry | null;
}

/**
 * Read the records in file order: 1. with a .shx, go to the offset it gives for each record (gaps some
 * writers leave are skipped) and require the length it gives (else IMPORT_SHX_MISMATCH); without one, read
 * back to back until the declared end; 2. an 8-byte header (record number, content length in 16-bit
 * words); 3. the content, which must fit before the declared end (else IMPORT_TRUNCATED). Record numbers
 * are not checked: writers disagree on them.
 */
export async function* readShpRecords(
  file: FileBytes,
  header: ShpHeader,
  shx: ShxIndex | null,
): AsyncGenerator<ShpRecord> {
  const reader = new SequentialReader(file, HEADER_BYTES, header.declaredBytes);
  const where = (row: number) => ({ row, file: file.path });
  const more = (row: number) => (shx ? row <= shx.count : reader.position < header.declaredBytes);
  for (let row = 1; more(row); row++) {
    if (shx) reader.skipTo(shx.offsets[row - 1]);
    const head = await reader.take(8);
    if (head.length < 8) throw truncated(row, file.path);
    const contentBytes = head.readInt32BE(4) * 2;
    if (contentBytes < 4) throw new ImportError('IMPORT_BAD_SHP', `Record ${row} of the .shp declares a length of ${contentBytes} bytes.`, where(row));
    if (shx && shx.lengths[row - 1] !== contentBytes) {
      const message = `Record ${row} of the .shp has ${contentBytes} bytes but the .shx says ${shx.lengths[row - 1]}.`;
      throw new ImportError('IMPORT_SHX_MISMATCH', message, where(row));
    }
    const content = await reader.take(contentBytes);
    if (content.length < contentBytes) throw truncated(row, file.path);
    yield { row, geometry: decodeShape(content, header.shapeType, where(row)) };
  }
  if (shx && header.declaredBytes - reader.position >= 8) {
    const message = `The .shp holds data after the last of the ${shx.count} records its .shx indexes.`;
    throw new ImportError('IMPORT_SHX_MISMATCH', message, { file: file.path });
  }
}

function truncated(row: number, file: string): ImportError {
  return new ImportError('IMPORT_TRUNCATED', `The .shp file ends inside record ${row}.`, { row, file });
}
