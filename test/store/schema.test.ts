import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityColumns } from '../../src/domain/columns.js';
import { ENTITY_NAMES, FOREIGN_KEYS } from '../../src/domain/entities.js';
import { MIGRATIONS, migrate } from '../../src/store/migrate.js';
import entitiesMigration from '../../src/store/migrations/002-entities.js';
import intelligenceMigration from '../../src/store/migrations/006-intelligence.js';
import { entitiesDdl, MIGRATION_ENTITIES, SQL_TYPES } from '../../src/store/schema.js';
import { openTestStore, type TestStore } from '../helpers/store.js';

const PG_TYPE_NAMES: Record<string, string> = { 'numeric(14,2)': 'numeric', 'double precision': 'double precision', timestamptz: 'timestamp with time zone' };

describe('the database schema follows the zod entity schemas', () => {
  it('migrations 002 and 006 are exactly what schema.ts generates for their tables (a schema change needs a new migration)', () => {
    expect(entitiesMigration.trim()).toBe(entitiesDdl(MIGRATION_ENTITIES[2]).trim());
    expect(intelligenceMigration.trim()).toBe(entitiesDdl(MIGRATION_ENTITIES[6]).trim());
    // Every entity has its table from exactly one migration.
    expect(Object.values(MIGRATION_ENTITIES).flat().sort()).toEqual([...ENTITY_NAMES].sort());
  });

  let t: TestStore | null;
  beforeAll(async () => {
    t = await openTestStore('postgres');
  });
  afterAll(() => t?.close());

  it('every table has the entity columns, in order, with their types and nullability', async (ctx) => {
    if (!t) return ctx.skip();
    for (const entity of ENTITY_NAMES) {
      const { rows } = await t.store.query<{ column_name: string; data_type: string; is_nullable: string }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'mock_data' AND table_name = $1 ORDER BY ordinal_position`,
        [entity],
      );
      const expected = entityColumns(entity).map((c) => ({ column_name: c.name, data_type: PG_TYPE_NAMES[SQL_TYPES[c.kind]] ?? SQL_TYPES[c.kind], is_nullable: c.nullable ? 'YES' : 'NO' }));
      expect(rows, entity).toEqual(expected);
    }
  });

  it('declares every foreign key of entities.ts, and migrating twice changes nothing', async (ctx) => {
    if (!t) return ctx.skip();
    const { rows } = await t.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = 'mock_data'::regnamespace`);
    expect(rows[0].n).toBe(FOREIGN_KEYS.length);
    expect(await migrate(t.store)).toEqual([]);
    const applied = await t.store.query<{ version: number }>('SELECT version FROM orderstream.schema_migrations ORDER BY version');
    expect(applied.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
