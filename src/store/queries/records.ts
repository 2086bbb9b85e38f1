/**
 * Table rows ↔ entity records for the management queries. A table holds the flat column
 * view of its entity (domain/columns.ts); a record has the nested shape the generated
 * files have (`shipping_address: {street, …}`). Both backends already return timestamps
 * as ISO strings, numerics as numbers and JSON parsed, so reading back only re-nests
 * (store/records.ts); writing flattens.
 */
import { entityColumns } from '../../domain/columns.js';
import type { Entities, EntityName } from '../../domain/entities.js';
import { rowToRecord as nestRow } from '../records.js';
import { SQL_TYPES, tableOf } from '../schema.js';
import { ident, type Queryable } from '../store.js';

/** A row read from an entity's table as that entity's record type. */
export const rowToRecord = <E extends EntityName>(entity: E, row: Record<string, unknown>): Entities[E] => nestRow(entity, row) as Entities[E];

/** The entity's columns for a SELECT list, optionally qualified by a table alias. */
export function columnList(entity: EntityName, alias?: string): string {
  return entityColumns(entity)
    .map((c) => (alias ? `${alias}.${ident(c.name)}` : ident(c.name)))
    .join(', ');
}

/** One parameter per column; JSON travels as text (pg would send a JS array as a PostgreSQL array). */
function columnValues(entity: EntityName, record: Record<string, unknown>): unknown[] {
  return entityColumns(entity).map((c) => {
    const value = c.sub === null ? record[c.field] : (record[c.field] as Record<string, unknown> | null)?.[c.sub];
    if (value === undefined) throw new Error(`${entity}.${c.name} is missing`);
    return c.kind === 'json' && value !== null ? JSON.stringify(value) : value;
  });
}

/** INSERT of whole records, every value a typed parameter. */
export async function insertRecords<E extends EntityName>(db: Queryable, entity: E, records: ReadonlyArray<Entities[E]>, onConflict: 'fail' | 'skip' = 'fail'): Promise<void> {
  if (!records.length) return;
  const cols = entityColumns(entity);
  const params: unknown[] = [];
  const tuples = records.map((r) => {
    const values = columnValues(entity, r as Record<string, unknown>);
    const slots = values.map((v, i) => `$${params.push(v)}::${SQL_TYPES[cols[i].kind]}`);
    return `(${slots.join(', ')})`;
  });
  await db.query(`INSERT INTO ${tableOf(entity)} (${cols.map((c) => ident(c.name)).join(', ')}) VALUES ${tuples.join(', ')}${onConflict === 'skip' ? ' ON CONFLICT DO NOTHING' : ''}`, params);
}

/**
 * INSERT of whole records as one array parameter per column (unnest): the statement's text
 * and parameter count stay the same whatever the number of rows. `value` may replace a
 * column's value by an SQL expression over `v.<column>` (the row being inserted).
 */
export async function insertRecordsUnnest<E extends EntityName>(
  db: Queryable,
  entity: E,
  records: ReadonlyArray<Entities[E]>,
  onConflict: 'fail' | 'skip' = 'fail',
  value: Partial<Record<string, string>> = {},
): Promise<void> {
  if (!records.length) return;
  const cols = entityColumns(entity);
  const rows = records.map((r) => columnValues(entity, r as Record<string, unknown>));
  const arrays = cols.map((_, i) => rows.map((row) => row[i]));
  const names = cols.map((c) => ident(c.name));
  await db.query(
    `INSERT INTO ${tableOf(entity)} (${names.join(', ')})
     SELECT ${cols.map((c, i) => value[c.name] ?? `v.${names[i]}`).join(', ')}
     FROM unnest(${cols.map((c, i) => `$${i + 1}::${SQL_TYPES[c.kind]}[]`).join(', ')}) AS v(${names.join(', ')})${onConflict === 'skip' ? ' ON CONFLICT DO NOTHING' : ''}`,
    arrays,
  );
}

/** A LIKE pattern matching `text` anywhere, with the pattern characters in it taken literally (use with ESCAPE '\'). */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
