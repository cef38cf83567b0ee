/**
 * .prj texts in ESRI WKT, as ArcGIS and GDAL (`gdalsrsinfo -o wkt_esri`) write them: ESRI tools read
 * only this dialect, and GDAL and Wanmi's importer map it back to the EPSG code.
 */
export const CGCS2000_PRJ = 'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",'
  + 'SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** EPSG:4549, CGCS2000 / 3-degree Gauss-Kruger CM 120E (Hangzhou), for the import benchmark. */
export const CGCS2000_GK_CM120_PRJ = `PROJCS["CGCS2000_3_Degree_GK_CM_120E",${CGCS2000_PRJ},PROJECTION["Gauss_Kruger"],`
  + 'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],'
  + 'PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
