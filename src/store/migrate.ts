/**
 * Versioned migrations: each runs once, in order, inside one transaction with the record of
 * it having run. A transaction-scoped advisory lock lets two servers start against one
 * database without both migrating.
 */
import meta from './migrations/001-meta.js';
import entities from './migrations/002-entities.js';
import changeFeed from './migrations/003-change-feed.js';
import apiOrderIds from './migrations/004-api-order-ids.js';
import outbox from './migrations/005-outbox.js';
import intelligence from './migrations/006-intelligence.js';
import usersChangeFeed from './migrations/007-users-change-feed.js';
import statusReached from './migrations/008-status-reached.js';
import outboxChangeRefs from './migrations/009-outbox-change-refs.js';
import { META_SCHEMA } from './schema.js';
import type { Store } from './store.js';

export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, name: 'meta', sql: meta },
  { version: 2, name: 'entities', sql: entities },
  { version: 3, name: 'change-feed', sql: changeFeed },
  { version: 4, name: 'api-order-ids', sql: apiOrderIds },
  { version: 5, name: 'outbox', sql: outbox },
  { version: 6, name: 'intelligence', sql: intelligence },
  { version: 7, name: 'users-change-feed', sql: usersChangeFeed },
  { version: 8, name: 'status-reached', sql: statusReached },
  { version: 9, name: 'outbox-change-refs', sql: outboxChangeRefs },
];

export async function migrate(store: Store): Promise<number[]> {
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7243000)');
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${META_SCHEMA}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number }>(`SELECT version FROM ${META_SCHEMA}.schema_migrations`);
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query(`INSERT INTO ${META_SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
