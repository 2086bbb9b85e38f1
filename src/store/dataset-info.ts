/**
 * What the data in mock_data is: the market, scenario and seed it was generated with. The
 * analytics read it to count by the market's local day; a job that loads a dataset writes
 * it in the same transaction (and a cleanup leaves it: with no rows there is nothing to
 * count).
 */
import { META_SCHEMA } from './schema.js';
import type { Queryable } from './store.js';

export interface DatasetInfo {
  market: string;
  scenario: string;
  seed: number;
  from: string;
  to: string;
}

const KEY = 'dataset';

export async function writeDatasetInfo(db: Queryable, info: DatasetInfo): Promise<void> {
  await db.query(
    `INSERT INTO ${META_SCHEMA}.settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [KEY, JSON.stringify(info)],
  );
}

export async function readDatasetInfo(db: Queryable): Promise<DatasetInfo | null> {
  const { rows } = await db.query<{ value: DatasetInfo }>(`SELECT value FROM ${META_SCHEMA}.settings WHERE key = $1`, [KEY]);
  return rows[0]?.value ?? null;
}
