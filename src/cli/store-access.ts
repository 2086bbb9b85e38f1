/**
 * How the store commands reach the data: directly (DATABASE_URL, or the embedded database
 * in ORDERSTREAM_DATA_DIR), or through a running server's API with --server URL, which
 * is the way to an embedded database that `serve` holds open.
 */
import { existsSync } from 'node:fs';
import { describeZodError, UsageError } from '../domain/errors.js';
import { configFromEnv, ServerEnv, type ServerConfig } from '../domain/server-config.js';
import { guardSettings, type GuardSettings } from '../store/guard.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

const STORE_VARIABLES = ['DATABASE_URL', 'ORDERSTREAM_DATA_DIR', 'MOCK_DATA_ENABLED', 'MOCK_DATA_MAX_RECORDS'] as const;

/**
 * The storage settings from the environment, read by the same schema `serve` uses
 * (domain/server-config.ts), so the commands and the server agree on every variable.
 */
function storeEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig['store'] {
  // Only the storage variables: a server setting such as PORT is none of these commands' business.
  const raw = Object.fromEntries(STORE_VARIABLES.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
  const parsed = ServerEnv.safeParse(raw);
  if (!parsed.success) throw new UsageError(`invalid environment:\n${describeZodError(parsed.error)}`);
  return configFromEnv(parsed.data, 'cli').store;
}

/**
 * Opens the configured store for one command. Commands that read or change existing data
 * (`mustExist`) refuse an embedded database that is not there yet: run from another
 * directory, they would otherwise create an empty one silently and report on nothing.
 */
export async function withStore<T>(fn: (store: Store) => Promise<T>, opts: { mustExist?: boolean } = {}): Promise<T> {
  const { databaseUrl, dataDir } = storeEnv();
  if (opts.mustExist && !databaseUrl && dataDir !== null && !existsSync(dataDir))
    throw new UsageError(
      `no embedded database at ${dataDir}: it lives where \`npm start\` (orderstream serve) or \`generate --no-dry-run\` first ran, in .orderstream/pgdata. ` +
        'Run this command from that directory, set ORDERSTREAM_DATA_DIR to it, set DATABASE_URL for a PostgreSQL server, or ask the running server with --server URL',
    );
  const store = await openStore({ databaseUrl, dataDir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const guardFromEnv = (env: NodeJS.ProcessEnv = process.env): GuardSettings => guardSettings(storeEnv(env));

/** The server's API token as a header, when it needs one (ORDERSTREAM_API_TOKEN in this process's environment). */
export function serverAuth(): Record<string, string> {
  const token = process.env.ORDERSTREAM_API_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** A call to a running server's API; its error messages are passed on as they are. */
export async function callServer<T>(server: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  let url: URL;
  try {
    url = new URL(path, server);
  } catch {
    throw new UsageError(`--server must be a URL like http://127.0.0.1:3001 (got '${server}')`);
  }
  let res: Response;
  try {
    const headers: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...serverAuth() };
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new UsageError(`cannot reach the server at ${server}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
  const text = await res.text();
  let parsed: T;
  try {
    parsed = text ? (JSON.parse(text) as T) : (null as T);
  } catch {
    throw new UsageError(`${server}${path} answered ${res.status} with something that is not JSON; is --server an orderstream server?`);
  }
  if (res.status >= 400) throw new UsageError(`${server}${path}: ${(parsed as { message?: string } | null)?.message ?? res.statusText}`);
  return { status: res.status, body: parsed };
}
