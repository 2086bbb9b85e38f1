/**
 * A Vitest (4) fixture that gives each test file a PostgreSQL database seeded with a month of
 * orderstream data, and drops it afterwards. Copy it into your tests:
 *
 *   import { test } from './vitest-fixture.js';
 *   test('orders have customers', async ({ db }) => {
 *     const { rows } = await db.query('SELECT count(*) FROM mock_data.orders o LEFT JOIN mock_data.customers c USING (customer_id) WHERE c.customer_id IS NULL');
 *     expect(rows[0].count).toBe('0');
 *   });
 */
import pg from 'pg';
import { test as base } from 'vitest';
import { seed } from 'orderstream';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const test = base.extend<{ $file: { db: pg.Client } }>({
  db: [
    async ({}, use) => {
      const name = `fixture_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(ADMIN_URL);
      url.pathname = `/${name}`;
      await seed({ databaseUrl: url.toString(), scenario: 'normal-ops', from: '2024-03-01', to: '2024-03-31', seed: 42 });
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      await use(db);
      await db.end();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
    { scope: 'file' },
  ],
});
