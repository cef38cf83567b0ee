/** A column of WKT geometries (what GDAL, PostGIS and `wanmi export` write for lines and polygons). */
export interface WktColumn {
  wkt: number;
  kind: 'wkt';
}

/** Where a CSV row's geometry is: a coordinate pair, or one WKT column. */
export type GeometryColumns = CoordinateColumns | WktColumn;

/**
 * Which CSV columns hold the coordinates. Names are compared after lower-casing and removing spaces,
 * punctuation and bracketed units ("经度(°)", "Longitude (WGS84)" → "经度", "longitude").
 */
export interface CoordinateColumns {
  x: number;
  y: number;
  /** lonlat: degree-named columns (经度/纬度, lon/lat…); xy: projected-looking names (X/Y, TWD97X…). */
  kind: 'lonlat' | 'xy';
}

const squash = (name: string) =>
  name.toLowerCase().replace(/\(.*?\)|（.*?）|\[.*?\]/g, '').replace(/[\s_\-.:/]+/g, '');

/** Prefixes that name a CRS or role in front of lon/lat: wgs84_lon, gcj02lat, center_lng… */
const PREFIX = '(wgs84|wgs|gcj02|gcj|bd09|cgcs2000|gps|point|pt|center|centre|中心)?';
const LON = new RegExp(`^${PREFIX}(lon|lng|long|longitude)$|经度$`);
const LAT = new RegExp(`^${PREFIX}(lat|latitude)$|纬度$`);
const X = /^(x|pointx|xcoord|coordx|x坐标|坐标x|东坐标|横坐标|easting|[a-z]+\d+x)$/;
const Y = /^(y|pointy|ycoord|coordy|y坐标|坐标y|北坐标|纵坐标|northing|[a-z]+\d+y)$/;

/** WKT column names, most specific first (a `geometry` column may be a description; `WKT` never is). */
const WKT_NAMES = ['wkt', 'wktgeom', 'wktgeometry', 'geometry', 'geom', 'thegeom', '几何', '几何图形'];

function find(names: string[], pattern: RegExp): number {
  return names.findIndex((n) => pattern.test(n));
}

/**
 * Find the coordinate columns: explicit names win; else a lon/lat pair, or an x/y pair first when the
 * caller's CRS is projected (files often carry both, e.g. HK1980 EASTING/NORTHING next to LONGITUDE).
 * Null when no complete pair is found.
 */
export function findCoordinateColumns(
  header: string[],
  explicit: { x?: string; y?: string } = {},
  preferXY = false,
): CoordinateColumns | null {
  if (explicit.x !== undefined || explicit.y !== undefined) {
    const x = explicit.x === undefined ? -1 : header.indexOf(explicit.x);
    const y = explicit.y === undefined ? -1 : header.indexOf(explicit.y);
    return x >= 0 && y >= 0 ? { x, y, kind: 'xy' } : null;
  }
  const names = header.map(squash);
  const pair = (xs: RegExp, ys: RegExp, kind: CoordinateColumns['kind']): CoordinateColumns | null => {
    const [x, y] = [find(names, xs), find(names, ys)];
    return x >= 0 && y >= 0 ? { x, y, kind } : null;
  };
  const [lonlat, xy] = [pair(LON, LAT, 'lonlat'), pair(X, Y, 'xy')];
  return preferXY ? xy ?? lonlat : lonlat ?? xy;
}

/**
 * The row geometry's columns: a coordinate pair (findCoordinateColumns), else a WKT column (`WKT`,
 * `geometry`, `the_geom`…). Null when there is neither.
 */
export function findGeometryColumns(header: string[], explicit: { x?: string; y?: string } = {}, preferXY = false): GeometryColumns | null {
  const pair = findCoordinateColumns(header, explicit, preferXY);
  if (pair || explicit.x !== undefined || explicit.y !== undefined) return pair;
  const names = header.map(squash);
  const wkt = WKT_NAMES.map((n) => names.indexOf(n)).find((i) => i >= 0);
  return wkt === undefined ? null : { wkt, kind: 'wkt' };
}

/**
 * A coordinate cell as a number: trims, accepts a decimal comma only when it is the sole separator
 * ("120,5" in a semicolon-separated file). Blank or unreadable → NaN.
 */
export function coordinate(cell: string | undefined): number {
  if (cell === undefined) return NaN;
  const t = cell.trim();
  if (t === '') return NaN;
  const n = Number(/^-?\d+,\d+$/.test(t) ? t.replace(',', '.') : t);
  return Number.isFinite(n) ? n : NaN;
}
