/**
 * spec 002's safety guard for database writes. Every rule that fails says which it is and
 * how to fix it; nothing is written unless all hold.
 *
 * Mock data is enabled when MOCK_DATA_ENABLED is not "false" and either the stored toggle
 * says so or, with no toggle set, MOCK_DATA_ENABLED=true or the embedded database (which
 * holds nothing but mock data) is in use.
 */
import { UsageError } from '../domain/errors.js';
import { META_SCHEMA, MOCK_SCHEMA } from './schema.js';
import type { Queryable, Store } from './store.js';

export class WriteRefused extends UsageError {
  constructor(
    readonly rule: 'production' | 'disabled' | 'schema' | 'record_limit',
    message: string,
  ) {
    super(message);
  }
}

export interface GuardSettings {
  /** MOCK_DATA_ENABLED as given; null when unset. */
  envEnabled: boolean | null;
  maxRecords: number;
}

/** The guard's settings from the store configuration (MOCK_DATA_ENABLED, MOCK_DATA_MAX_RECORDS). */
export const guardSettings = (store: { mockDataEnabled: boolean | null; maxRecords: number }): GuardSettings => ({ envEnabled: store.mockDataEnabled, maxRecords: store.maxRecords });

export async function readToggle(db: Queryable): Promise<boolean | null> {
  const { rows } = await db.query<{ value: boolean }>(`SELECT value FROM ${META_SCHEMA}.settings WHERE key = 'mock_data_enabled'`);
  return rows.length ? rows[0].value : null;
}

export async function writeToggle(db: Queryable, enabled: boolean): Promise<void> {
  await db.query(
    `INSERT INTO ${META_SCHEMA}.settings (key, value) VALUES ('mock_data_enabled', $1::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [JSON.stringify(enabled)],
  );
}

export interface MockDataState {
  enabled: boolean;
  /** Why it is what it is, in words. */
  source: 'MOCK_DATA_ENABLED=false' | 'toggle' | 'MOCK_DATA_ENABLED=true' | 'embedded default' | 'server default';
  production: boolean;
}

export async function mockDataState(store: Store, settings: GuardSettings): Promise<MockDataState> {
  const production = process.env.NODE_ENV === 'production';
  if (settings.envEnabled === false) return { enabled: false, source: 'MOCK_DATA_ENABLED=false', production };
  const toggle = await readToggle(store);
  if (toggle !== null) return { enabled: toggle, source: 'toggle', production };
  if (settings.envEnabled === true) return { enabled: true, source: 'MOCK_DATA_ENABLED=true', production };
  return store.backend === 'pglite' ? { enabled: true, source: 'embedded default', production } : { enabled: false, source: 'server default', production };
}

/** The guard's first rule, the one that needs no database: a command checks it before it opens one. */
export function refuseInProduction(): void {
  if (process.env.NODE_ENV === 'production') {
    throw new WriteRefused('production', 'refusing to write mock data: NODE_ENV is production; run orderstream against a development database (unset NODE_ENV or set it to development)');
  }
}

/**
 * Whether the rules that need no database allow writing `records` (not in production, not
 * disabled by MOCK_DATA_ENABLED=false, within the record limit): for work begun before the
 * database is open. checkWrite is still the check, and says why not.
 */
export function allowedWithoutStore(settings: GuardSettings, records: number): boolean {
  return process.env.NODE_ENV !== 'production' && settings.envEnabled !== false && records <= settings.maxRecords;
}

/** Throws WriteRefused naming the first rule that fails. */
export async function checkWrite(store: Store, settings: GuardSettings, target: { schema: string; records: number }): Promise<void> {
  refuseInProduction();
  const state = await mockDataState(store, settings);
  if (!state.enabled) {
    const fix =
      state.source === 'MOCK_DATA_ENABLED=false'
        ? 'unset MOCK_DATA_ENABLED or set it to true'
        : 'set MOCK_DATA_ENABLED=true, or enable it with `orderstream toggle --enable` (POST /api/mock-data/toggle {"enabled":true})';
    throw new WriteRefused('disabled', `refusing to write mock data: mock data is disabled (${state.source}); ${fix}`);
  }
  if (target.schema !== MOCK_SCHEMA) {
    throw new WriteRefused('schema', `refusing to write mock data into schema "${target.schema}": mock data goes only into "${MOCK_SCHEMA}"`);
  }
  if (target.records > settings.maxRecords) {
    throw new WriteRefused(
      'record_limit',
      `refusing to write about ${target.records.toLocaleString('en-US')} records: over the limit of ${settings.maxRecords.toLocaleString('en-US')}; shorten the date range, lower the multiplier, or raise MOCK_DATA_MAX_RECORDS`,
    );
  }
}
