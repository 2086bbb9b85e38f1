/**
 * Appends the elements of a JSON array parameter (JSON text) to a json column, keeping
 * the column's text as written: json (not jsonb) columns keep generated key order, and a
 * jsonb round trip (`col::jsonb || …`) would reorder every key of the whole history.
 */
export const appendJsonArraySql = (column: string, param: string): string =>
  `CASE WHEN json_array_length(${column}) = 0 THEN ${param}::text::json ELSE (left(rtrim(${column}::text), -1) || ',' || substr(${param}::text, 2))::json END`;
