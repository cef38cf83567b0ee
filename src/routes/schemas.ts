import { Type } from 'typebox';

/** Schemas shared by several routes. Response types come from these, never hand-written twice. */

export const CRS_CGCS2000 = 'EPSG:4490';

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable error code, see docs/errors.md' }),
    error: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'The offending parameter or field' })),
  },
  { $id: 'WanmiError', description: 'Error body; clients branch on `code`' },
);

export const AreaRefSchema = Type.Object({ code: Type.String(), name: Type.String() });
export const NullableAreaRef = Type.Union([AreaRefSchema, Type.Null()]);

export const ZoneRefSchema = Type.Object({
  id: Type.String(), name: Type.String(), kind: Type.String(), responsibleUnit: Type.String(),
  classes: Type.Array(Type.String(), { description: 'Type codes or major classes the zone covers; empty = all' }),
});
