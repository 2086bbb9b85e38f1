/** Opens the store the configuration names and brings its schema up to date. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { UsageError } from '../domain/errors.js';
import { migrate, MIGRATIONS } from './migrate.js';
import type { Store } from './store.js';
import { redactUrl } from './url.js';

export { redactUrl } from './url.js';

/** The backends load on demand: a command that never opens a store does not pay for pg and PGlite. */
const postgres = () => import('./postgres.js');
const pglite = () => import('./pglite.js');

export interface StoreConfig {
  /** postgres://… for a server; null for the embedded database. */
  databaseUrl: string | null;
  /** Where the embedded database keeps its files; null keeps it in memory. */
  dataDir: string | null;
}

export async function openStore(config: StoreConfig): Promise<Store> {
  let store: Store;
  if (config.databaseUrl) {
    try {
      store = await (await postgres()).PostgresStore.open(config.databaseUrl);
    } catch (err) {
      throw new UsageError(`cannot connect to PostgreSQL at ${redactUrl(config.databaseUrl)}: ${(err as Error).message}; check DATABASE_URL, or unset it to use the embedded database`);
    }
  } else {
    const template = templatePath();
    let embedded;
    try {
      embedded = await (await pglite()).PgliteStore.open(config.dataDir, template);
    } catch (err) {
      if ((err as Error).name === 'NotADatabaseDirectory') throw new UsageError(`cannot open the embedded database: ${(err as Error).message}`);
      throw new UsageError(`cannot open the embedded database in ${config.dataDir}: ${(err as Error).message}; is another orderstream process using it? (set ORDERSTREAM_DATA_DIR to use another directory)`);
    }
    try {
      await migrate(embedded);
      // Only a speed-up for the next new database: a template that cannot be saved (a full or
      // read-only disk) leaves this one open and the next made the long way.
      if (template && embedded.created) await embedded.saveTemplate(template).then(() => pruneTemplates(template), () => undefined);
      else if (template) markUsed(template);
    } catch (err) {
      await embedded.close();
      throw err;
    }
    return embedded;
  }
  try {
    await migrate(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/**
 * ORDERSTREAM_PGLITE_TEMPLATES names a directory where the first new embedded database, once
 * migrated, leaves a copy of its files; every later new one starts as that copy (about a
 * second) instead of being created and migrated (several seconds). For test suites that open
 * many throwaway databases. The file is named by the PGlite version and the migrations, so a
 * change to either makes a new one.
 */
function templatePath(): string | null {
  const dir = process.env.ORDERSTREAM_PGLITE_TEMPLATES;
  if (!dir) return null;
  const absolute = resolve(dir);
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (err) {
    throw new UsageError(`ORDERSTREAM_PGLITE_TEMPLATES names ${absolute}, which cannot be made a directory: ${(err as Error).message}`);
  }
  const key = createHash('sha256').update(pgliteVersion()).update(MIGRATIONS.map((m) => `${m.version}\0${m.sql}`).join('\0')).digest('hex').slice(0, 16);
  return join(absolute, `orderstream-pglite-${key}.tar`);
}

/** A template's modification time is when it was last used (best effort: a read-only directory keeps it as saved). */
function markUsed(template: string): void {
  try {
    const now = new Date();
    utimesSync(template, now, now);
  } catch {
    // Not there (another version's process pruned it) or not ours to touch: it is only a speed-up.
  }
}

/** Templates of other PGlite versions or migrations, unused for a day, are removed when a new one is saved (they would pile up). */
const TEMPLATE_UNUSED_MS = 24 * 3600 * 1000;

function pruneTemplates(kept: string, now = Date.now()): void {
  const dir = dirname(kept);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === kept || !/^orderstream-pglite-[0-9a-f]{16}\.tar$/.test(name)) continue;
    try {
      if (now - statSync(path).mtimeMs > TEMPLATE_UNUSED_MS) rmSync(path, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

function pgliteVersion(): string {
  // The package does not export its package.json; it sits above the entry point.
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json')) && dir !== dirname(dir)) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
