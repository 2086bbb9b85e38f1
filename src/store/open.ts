/** Opens the store the configuration names and brings its schema up to date. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../domain/errors.js';
import { migrate } from './migrate.js';
import { chooseTemplate, markUsed, pruneTemplates } from './template.js';
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

/** An embedded database that opening will make (its directory holds none yet), or one in memory: known to start empty. */
export function storeIsNew(config: StoreConfig): boolean {
  return config.databaseUrl === null && (config.dataDir === null || !existsSync(join(config.dataDir, 'PG_VERSION')));
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
    const template = chooseTemplate();
    let embedded;
    try {
      embedded = await (await pglite()).PgliteStore.open(config.dataDir, template?.path ?? null);
    } catch (err) {
      if (err instanceof UsageError) throw err; // a setting it cannot use: the message says which, and what to give
      const name = (err as Error).name;
      if (name === 'NotADatabaseDirectory') throw new UsageError(`cannot open the embedded database: ${(err as Error).message}`);
      const where = `cannot open the embedded database${config.dataDir ? ` in ${config.dataDir}` : ' in memory'}: ${(err as Error).message}`;
      if (name === 'DataDirInUse') throw new UsageError(`${where}; stop that process or set ORDERSTREAM_DATA_DIR to use another directory (if it is an orderstream serve, the store commands reach it with --server URL)`);
      throw new UsageError(`${where}; set ORDERSTREAM_DATA_DIR to use another directory`);
    }
    try {
      await migrate(embedded);
      // Only a speed-up for the next new database: a template that cannot be saved (a full or
      // read-only disk) leaves this one open and the next made the long way.
      if (template?.saveHere && embedded.created) await embedded.saveTemplate(template.path).then(() => pruneTemplates(template.path), () => undefined);
      else if (template?.saveHere) markUsed(template.path);
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
