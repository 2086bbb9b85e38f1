/**
 * The database shape of the entity schemas: one table per entity in `mock_data`, columns
 * from the flat column view (domain/columns.ts), keys and foreign keys from entities.ts.
 * Migration 002 holds this text as it was when written; a test keeps the two in step.
 */
import { entityColumns, type ColumnKind } from '../domain/columns.js';
import { ENGINE_ENTITIES, ENTITY_NAMES, FOREIGN_KEYS, PRIMARY_KEYS, type EntityName } from '../domain/entities.js';

export const MOCK_SCHEMA = 'mock_data';
/** Our own bookkeeping (migrations, settings, jobs): never mock data, never cleaned up. */
export const META_SCHEMA = 'orderstream';

export const SQL_TYPES: Record<ColumnKind, string> = {
  text: 'text',
  integer: 'integer',
  money: 'numeric(14,2)',
  number: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamptz',
  // json, not jsonb: it keeps the text as written (key order included), so an export is byte-identical to `generate --out`.
  json: 'json',
};

export const tableOf = (entity: EntityName): string => `${MOCK_SCHEMA}.${entity}`;

/** Lookups the API and the exports make; foreign keys that are also join paths. */
export const INDEXES: ReadonlyArray<{ table: EntityName; columns: string[] }> = [
  { table: 'orders', columns: ['customer_id'] },
  { table: 'orders', columns: ['status'] },
  { table: 'orders', columns: ['order_date'] },
  { table: 'order_items', columns: ['order_id'] },
  { table: 'inventory_movements', columns: ['product_id'] },
  { table: 'shipments', columns: ['order_id'] },
  { table: 'payments', columns: ['order_id'] },
  { table: 'products', columns: ['category'] },
  { table: 'forecasts', columns: ['category', 'made_at'] },
  { table: 'alerts', columns: ['raised_at'] },
];

type ForeignKey = (typeof FOREIGN_KEYS)[number];
const fkName = (fk: ForeignKey) => `${fk.from}_${fk.column}_fkey`;
const indexName = (ix: (typeof INDEXES)[number]) => `${ix.table}_${ix.columns.join('_')}_idx`;

export const addForeignKeySql = (fk: ForeignKey) =>
  `ALTER TABLE ${tableOf(fk.from)} ADD CONSTRAINT ${fkName(fk)} FOREIGN KEY (${fk.column}) REFERENCES ${tableOf(fk.to)} (${PRIMARY_KEYS[fk.to]})`;
export const createIndexSql = (ix: (typeof INDEXES)[number]) => `CREATE INDEX ${indexName(ix)} ON ${tableOf(ix.table)} (${ix.columns.join(', ')})`;

/** The orders' reached statuses as rows, for the analytics; triggers on orders keep it (migration 008). */
export const STATUS_REACHED = `${MOCK_SCHEMA}.order_status_reached`;

/**
 * PostgreSQL's own advice for populating an empty database: load without indexes and
 * foreign keys, then build them. Adding a foreign key checks every row in one join, so
 * the database still enforces each of them before the job can commit. The same goes for
 * the rows the orders' triggers add to order_status_reached: with its two indexes kept up
 * during the COPY, a year of orders took 1.1–1.7 s to COPY instead of 0.6–0.8 s.
 */
export const BULK_DROP_SQL: readonly string[] = [
  ...FOREIGN_KEYS.map((fk) => `ALTER TABLE ${tableOf(fk.from)} DROP CONSTRAINT ${fkName(fk)}`),
  ...INDEXES.map((ix) => `DROP INDEX ${MOCK_SCHEMA}.${indexName(ix)}`),
  ...ENTITY_NAMES.map((e) => `ALTER TABLE ${tableOf(e)} DROP CONSTRAINT ${e}_pkey`),
  `DROP INDEX ${MOCK_SCHEMA}.order_status_reached_reached_at_idx`,
  `ALTER TABLE ${STATUS_REACHED} DROP CONSTRAINT order_status_reached_pkey`,
];
export const BULK_RESTORE_SQL: readonly string[] = [
  ...ENTITY_NAMES.map((e) => `ALTER TABLE ${tableOf(e)} ADD CONSTRAINT ${e}_pkey PRIMARY KEY (${PRIMARY_KEYS[e]})`),
  ...FOREIGN_KEYS.map(addForeignKeySql),
  ...INDEXES.map(createIndexSql),
  `ALTER TABLE ${STATUS_REACHED} ADD CONSTRAINT order_status_reached_pkey PRIMARY KEY (order_id, step)`,
  `CREATE INDEX order_status_reached_reached_at_idx ON ${STATUS_REACHED} (reached_at)`,
];

/** The entity tables each migration created (a schema change needs a new migration, never an edited one). */
export const MIGRATION_ENTITIES: { readonly [version: number]: readonly EntityName[] } = {
  2: ENTITY_NAMES.filter((e) => !(ENGINE_ENTITIES as readonly string[]).includes(e)),
  6: ENGINE_ENTITIES,
};

/** The DDL of some entities' tables: columns, keys, the foreign keys and indexes from them. */
export function entitiesDdl(entities: readonly EntityName[] = ENTITY_NAMES): string {
  const out: string[] = [`CREATE SCHEMA IF NOT EXISTS ${MOCK_SCHEMA};`];
  for (const entity of entities) {
    const cols = entityColumns(entity).map((c) => `  ${c.name} ${SQL_TYPES[c.kind]}${c.nullable ? '' : ' NOT NULL'}`);
    cols.push(`  PRIMARY KEY (${PRIMARY_KEYS[entity]})`);
    out.push(`CREATE TABLE ${tableOf(entity)} (\n${cols.join(',\n')}\n);`);
  }
  out.push(...FOREIGN_KEYS.filter((fk) => entities.includes(fk.from)).map((fk) => `${addForeignKeySql(fk)};`));
  out.push(...INDEXES.filter((ix) => entities.includes(ix.table)).map((ix) => `${createIndexSql(ix)};`));
  // Spec 001's status history, as rows: a view over the orders' own history, so bulk loads pay nothing for it.
  if (entities.includes('orders'))
    out.push(
      `CREATE VIEW ${MOCK_SCHEMA}.order_status_history AS\n  SELECT o.order_id, h.ordinality::integer AS step, h.value->>'status' AS status, (h.value->>'at')::timestamptz AS changed_at\n  FROM ${tableOf('orders')} o, json_array_elements(o.status_history) WITH ORDINALITY AS h(value, ordinality);`,
    );
  return out.join('\n');
}
