/** Table rows back into entity records: the flattened `parent_child` columns nested again, in schema key order. */
import { entityColumns } from '../domain/columns.js';
import { ENTITY_NAMES, PRIMARY_KEYS, type EntityName } from '../domain/entities.js';
import { tableOf, MOCK_SCHEMA } from './schema.js';
import { lockChangeFeed } from './queries/locks.js';
import type { Queryable, Store } from './store.js';

export function rowToRecord(entity: EntityName, row: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const c of entityColumns(entity)) {
    const value = row[c.name] ?? null;
    if (c.sub === null) record[c.field] = value;
    else ((record[c.field] ??= {}) as Record<string, unknown>)[c.sub] = value;
  }
  return record;
}

/** Every row of a table in key order, a page at a time (keyset paging: memory stays flat for any size). */
export async function* scanRecords(db: Queryable, entity: EntityName, limit = Infinity, pageSize = 5000): AsyncGenerator<Record<string, unknown>> {
  const key = PRIMARY_KEYS[entity];
  let last: string | null = null;
  let left = limit;
  while (left > 0) {
    const take = Math.min(pageSize, left);
    const { rows }: { rows: Record<string, unknown>[] } = await db.query(
      last === null ? `SELECT * FROM ${tableOf(entity)} ORDER BY ${key} LIMIT $1` : `SELECT * FROM ${tableOf(entity)} WHERE ${key} > $2 ORDER BY ${key} LIMIT $1`,
      last === null ? [take] : [take, last],
    );
    for (const row of rows) yield rowToRecord(entity, row);
    if (rows.length < take) return;
    last = rows[rows.length - 1][key] as string;
    left -= rows.length;
  }
}

export async function countRows(db: Queryable): Promise<Record<EntityName, number>> {
  const parts = ENTITY_NAMES.map((e) => `(SELECT count(*) FROM ${tableOf(e)})::int AS ${e}`);
  const { rows } = await db.query<Record<EntityName, number>>(`SELECT ${parts.join(', ')}`);
  return rows[0];
}

/** spec 002's cleanup: every mock row and the change log go, in one statement. */
export async function truncateMockData(db: Queryable): Promise<void> {
  await db.query(`TRUNCATE ${ENTITY_NAMES.map(tableOf).join(', ')}, ${MOCK_SCHEMA}.change_log`);
}

/** Cleanup with the counts of what it removed, in one transaction (after the change-feed lock, like every writer). */
export async function cleanupMockData(store: Store): Promise<Record<EntityName, number>> {
  return store.transaction(async (tx) => {
    await lockChangeFeed(tx);
    const before = await countRows(tx);
    await truncateMockData(tx);
    return before;
  });
}
