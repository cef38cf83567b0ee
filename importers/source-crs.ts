import { defOf, labelOf, makeTransformer, parseCrsSpec, type CrsSpec, type Transform } from '../src/crs/index.js';
import { ImportError, show, type ImportWarning } from './errors.js';
import type { CrsInfo } from './types.js';

export interface ResolvedCrs {
  info: CrsInfo;
  /** Null when the source is already CGCS2000/WGS84 lon/lat: records are passed through untouched. */
  transform: Transform | null;
}

export interface CrsInputs {
  /** The caller's crs option. */
  option?: CrsSpec | string;
  /** What the file declares: the .prj WKT or GeoJSON crs name, and what it parsed to (null = unknown). */
  declared?: { text: string; spec: CrsSpec | null };
  /** What an undeclared file is by definition (RFC 7946 GeoJSON is WGS84); otherwise lon/lat is assumed … */
  implicit?: CrsSpec;
  /** … only if the coordinates look like lon/lat; `why` describes them for the error message. */
  looksLonLat?: { ok: boolean; why: string };
  file: string;
}

function optionSpec(option: CrsSpec | string, file: string): CrsSpec {
  const spec = typeof option === 'string' ? parseCrsSpec(option) : option;
  if (!spec) throw new ImportError('IMPORT_UNKNOWN_CRS', `The crs option ${show(String(option))} names no CRS Wanmi knows.`, { file });
  return spec;
}

function info(spec: CrsSpec, source: CrsInfo['source']): CrsInfo {
  const def = defOf(spec);
  return { label: labelOf(spec), source, epsg: def?.epsg ?? null, datumShift: def?.datumShift ?? 'none' };
}

/**
 * Decide the source CRS: 1. the crs option wins (with a warning if the file declares something else);
 * 2. else what the file declares, which must be known (IMPORT_UNKNOWN_CRS quotes it otherwise); 3. else the
 * format's implicit CRS; 4. else CGCS2000 lon/lat if the coordinates look like it (warned), or IMPORT_NO_CRS.
 */
export function resolveCrs(inputs: CrsInputs, warnings: ImportWarning[]): ResolvedCrs {
  const { option, declared, file } = inputs;
  let spec: CrsSpec;
  let source: CrsInfo['source'];
  if (option !== undefined) {
    [spec, source] = [optionSpec(option, file), 'option'];
    if (declared && (!declared.spec || labelOf(declared.spec) !== labelOf(spec))) {
      warnings.push({ code: 'IMPORT_CRS_OVERRIDDEN', file, message: `The crs option (${labelOf(spec)}) overrides the file's ${show(declared.text, 120)}.` });
    }
  } else if (declared) {
    if (!declared.spec) {
      const message = `The file's coordinate system is not one Wanmi knows: ${show(declared.text, 500)}. Give the crs option (e.g. EPSG:4549).`;
      throw new ImportError('IMPORT_UNKNOWN_CRS', message, { file });
    }
    [spec, source] = [declared.spec, 'prj'];
  } else if (inputs.implicit) {
    [spec, source] = [inputs.implicit, 'assumed'];
  } else if (inputs.looksLonLat?.ok) {
    [spec, source] = ['cgcs2000', 'assumed'];
    warnings.push({ code: 'IMPORT_CRS_ASSUMED', file, message: `No coordinate system given; ${inputs.looksLonLat.why}, so CGCS2000 lon/lat is assumed.` });
  } else {
    const why = inputs.looksLonLat?.why ?? 'the coordinates are unknown';
    const message = `No coordinate system given (.prj or crs option) and ${why}, so they are not lon/lat. Give the crs option (e.g. EPSG:4549).`;
    throw new ImportError('IMPORT_NO_CRS', message, { file });
  }
  const crs = info(spec, source);
  if (crs.datumShift === 'unknown') {
    const message = `${crs.label} has no public shift to CGCS2000; positions are taken across unshifted and may be off by tens of metres.`;
    warnings.push({ code: 'IMPORT_DATUM_UNSHIFTED', file, message });
  }
  const identity = spec === 'wgs84' || spec === 'cgcs2000' || (defOf(spec)?.geographic && crs.datumShift === 'none');
  return { info: crs, transform: identity ? null : makeTransformer(spec) };
}
