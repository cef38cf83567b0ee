import { readFileSync } from 'node:fs';
import proj4 from 'proj4';
import t from 'tap';
import { crsFromPrj, epsgDef, knownEpsgCodes, parseCrsSpec } from '../../src/crs/index.js';
import { sameProj4 } from '../../src/crs/prj.js';

/**
 * epsg-wkt.json holds, per EPSG code, PostGIS's srtext (OGC WKT1) and proj4text, GDAL's ESRI WKT and
 * sometimes WKT2 — made by test/fixtures/importers/crs/make-crs-fixtures.ts, not by the code under test.
 */
interface WktCase { epsg: number; proj4: string; ogc: string; esri: string; wkt2?: string }
const CASES: WktCase[] = JSON.parse(
  readFileSync(new URL('../fixtures/importers/crs/epsg-wkt.json', import.meta.url), 'utf8'),
);

/** The deprecated Beijing 1954 "13N…23N" codes are the same CRSs as 21453–21463; we name them by those. */
const canonical = (code: number) => (code >= 21473 && code <= 21483 ? code - 20 : code);

/**
 * PostGIS's proj4text gives Beijing 1954 the +towgs84 of EPSG:15921, valid only in the Tarim basin; by
 * default we apply no shift (as PROJ itself does elsewhere; see src/crs/datums.ts), but a TOWGS84 written
 * in the WKT (PostGIS's srtext has one) is honoured. So the reference keeps it only when the WKT has it.
 */
const reference = (c: WktCase, wkt: string) =>
  /ellps=krass/.test(c.proj4) && !/TOWGS84/.test(wkt) ? c.proj4.replace(/\s*\+towgs84=\S+/, '') : c.proj4;

/** Compare two definitions by projecting the same points: mm agreement means the same parameters. */
function sameProjection(ours: string, theirs: string, lon0: number): number {
  let worst = 0;
  for (const [dl, lat] of [[0, 30], [1.4, 25], [-2.9, 45], [0.5, 5]]) {
    const p: [number, number] = [lon0 + dl, lat];
    const a = proj4('WGS84', ours).forward(p);
    const b = proj4('WGS84', theirs).forward(p);
    worst = Math.max(worst, Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]));
  }
  return worst;
}

t.test('every sampled EPSG WKT (OGC, ESRI, WKT2) maps to the same CRS as PostGIS', async (tt) => {
  for (const c of CASES) {
    const lon0 = Number(/\+lon_0=(\S+)/.exec(c.proj4)?.[1] ?? 0);
    for (const [flavour, wkt] of [['ogc', c.ogc], ['esri', c.esri], ['wkt2', c.wkt2]] as const) {
      if (!wkt) continue;
      const def = crsFromPrj(wkt);
      if (!def) {
        tt.fail(`${c.epsg} ${flavour}: not recognised`);
        continue;
      }
      tt.equal(def.epsg, canonical(c.epsg), `${c.epsg} ${flavour}: EPSG code`);
      const dist = def.geographic ? 0 : sameProjection(def.proj4, reference(c, wkt), lon0);
      tt.ok(dist < 1e-3, `${c.epsg} ${flavour}: same projection as PostGIS (${dist} m)`);
    }
  }
});

t.test('epsgDef agrees with the WKT of the same code and with PostGIS', async (tt) => {
  for (const c of CASES) {
    const def = epsgDef(c.epsg);
    tt.ok(def, `${c.epsg} known`);
    if (!def) continue;
    tt.ok(sameProj4(def.proj4, crsFromPrj(c.esri)!.proj4), `${c.epsg}: epsgDef = crsFromPrj(ESRI WKT)`);
    const name = /^(?:PROJCS|GEOGCS)\["([^"]+)"/.exec(c.ogc)?.[1];
    // Labels are EPSG's names for every code except the deprecated duplicates and Pseudo-Mercator's alias.
    if (canonical(c.epsg) === c.epsg) tt.equal(def.label, name, `${c.epsg}: label`);
  }
});

t.test('GK zone families cover the EPSG ranges', async (tt) => {
  const known = new Set(knownEpsgCodes());
  const ranges: Array<[number, number]> = [
    [4491, 4554], [2327, 2390], [2401, 2442], [21413, 21423], [21453, 21463], [21473, 21483],
    [4568, 4589], [4652, 4656], [4766, 4800],
  ];
  for (const [a, b] of ranges) for (let c = a; c <= b; c++) tt.ok(known.has(c), `EPSG:${c}`);
  tt.ok(known.has(4812) && known.has(4822));
  tt.equal(epsgDef(4549)!.label, 'CGCS2000 / 3-degree Gauss-Kruger CM 120E');
  tt.equal(epsgDef(4527)!.label, 'CGCS2000 / 3-degree Gauss-Kruger zone 39');
  tt.match(epsgDef(4527)!.proj4, /\+lon_0=117 .*\+x_0=39500000 /);
  tt.match(epsgDef(4498)!.proj4, /\+lon_0=117 .*\+x_0=20500000 /);
  tt.equal(epsgDef(4555 + 1), null, 'a code in no family');
});

t.test('parameters decide, not names: any GK zone, a renamed datum', async (tt) => {
  const gk = (datum: string, spheroid: string, lon0: number, x0: number, name = 'My_Local_GK') =>
    `PROJCS["${name}",GEOGCS["GCS_X",DATUM["${datum}",SPHEROID[${spheroid}]],PRIMEM["Greenwich",0.0],` +
    `UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${x0}],` +
    `PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${lon0}],PARAMETER["Scale_Factor",1.0],` +
    `PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
  const a = crsFromPrj(gk('D_China_2000', '"CGCS2000",6378137.0,298.257222101', 114, 38500000))!;
  tt.equal(a.epsg, 4526);
  tt.equal(a.label, 'CGCS2000 / 3-degree Gauss-Kruger zone 38');
  const b = crsFromPrj(gk('D_2000', '"S_2000",6378137.0,298.2572221010041', 111, 500000, 'CGCS2000_6_Degree_GK'))!;
  tt.equal(b.epsg, 4508, '6° CM 111E from the name hint');
  const c = crsFromPrj(gk('Xian80', '"IAG75",6378140,298.257', 120, 40500000))!;
  tt.equal(c.epsg, 2364);
  tt.equal(c.datumShift, 'unknown');
  const d = crsFromPrj(gk('D_Beijing_1954', '"Krasovsky_1940",6378245.0,298.3', 123, 41500000))!;
  tt.equal(d.epsg, 2417);
  // A central meridian no EPSG zone has: still recognised, with no code.
  const e = crsFromPrj(gk('D_China_2000', '"CGCS2000",6378137.0,298.257222101', 120.5, 500000))!;
  tt.equal(e.epsg, null);
  tt.match(e.proj4, /\+lon_0=120.5 /);
});

t.test('an explicit TOWGS84 is honoured; the EPSG code still names datum and projection', async (tt) => {
  const wkt = 'PROJCS["x",GEOGCS["Xian 1980",DATUM["Xian_1980",SPHEROID["IAG 1975",6378140,298.257],' +
    'TOWGS84[24,-123,-94,0.02,-0.25,-0.13,1.1]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],' +
    'PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",120],' +
    'PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]';
  const def = crsFromPrj(wkt)!;
  tt.equal(def.datumShift, 'helmert');
  tt.equal(def.epsg, 2385);
  tt.match(def.proj4, /\+towgs84=24,-123,-94,0.02,-0.25,-0.13,1.1/);
});

t.test('the real .prj files of the shared data', async (tt) => {
  const data = new URL('../../../shared/data/', import.meta.url);
  const read = (p: string) => readFileSync(new URL(p, data), 'utf8');
  tt.equal(crsFromPrj(read('cn-admin-gbk-shp/BOUL_X.prj'))?.epsg, 4490, 'CGCS_2000 / D_2000 / S_2000');
  tt.equal(crsFromPrj(read('cn-admin-gbk-shp/BOUNT_poly.prj'))?.epsg, 4326);
  tt.equal(crsFromPrj(read('shp-encoding-edge-cases/cn-prebroken-text/rivers.prj'))?.epsg, 4326);
});

t.test('unknown or unsupported WKT → null', async (tt) => {
  tt.equal(crsFromPrj(''), null);
  tt.equal(crsFromPrj('not wkt at all'), null);
  tt.equal(crsFromPrj('GEOGCS["x",DATUM["y",SPHEROID["z",6378137'), null, 'truncated');
  tt.equal(crsFromPrj('GEOGCS["NAD27",DATUM["North_American_Datum_1927",SPHEROID["Clarke 1866",6378206.4,294.9786982138982]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'), null, 'unknown ellipsoid');
  tt.equal(crsFromPrj('GEOGCS["x",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Paris",2.33722917],UNIT["Degree",0.0174532925199433]]'), null, 'non-Greenwich');
  tt.equal(crsFromPrj('PROJCS["Asia_Lambert",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Standard_Parallel_1",30.0],PARAMETER["Standard_Parallel_2",62.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'), null, 'Lambert is not supported');
  tt.equal(crsFromPrj('GEOGCS["Pulkovo 1942",DATUM["Pulkovo_1942",SPHEROID["Krassowsky 1940",6378245,298.3]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'), null, 'Krassowsky but not Beijing');
});

t.test('parseCrsSpec', async (tt) => {
  tt.equal(parseCrsSpec('EPSG:4549'), 'EPSG:4549');
  tt.equal(parseCrsSpec('epsg:4549'), 'EPSG:4549');
  tt.equal(parseCrsSpec('4549'), 'EPSG:4549');
  tt.equal(parseCrsSpec('urn:ogc:def:crs:EPSG::3857'), 'EPSG:3857');
  tt.equal(parseCrsSpec('urn:ogc:def:crs:EPSG:9.8.1:4490'), 'EPSG:4490');
  tt.equal(parseCrsSpec('urn:ogc:def:crs:OGC:1.3:CRS84'), 'wgs84');
  tt.equal(parseCrsSpec('GCJ-02'), 'gcj02');
  tt.equal(parseCrsSpec('BD09'), 'bd09');
  tt.equal(parseCrsSpec('CGCS2000'), 'cgcs2000');
  tt.equal(parseCrsSpec('EPSG:99999'), null);
  tt.equal(parseCrsSpec('mars'), null);
  tt.match(parseCrsSpec(CASES.find((c) => c.epsg === 4549)!.esri), { epsg: 4549 });
  tt.match(parseCrsSpec('+proj=tmerc +lon_0=120 +x_0=500000 +a=6378140 +rf=298.257 +towgs84=1,2,3 +units=m'), {
    datumShift: 'helmert', geographic: false,
  });
  tt.equal(parseCrsSpec('+proj=nonsense'), null);
});
