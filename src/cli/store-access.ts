/**
 * How the store commands reach the data: directly (DATABASE_URL, or the embedded database
 * in ORDERSTREAM_DATA_DIR), or through a running server's API with --server URL, which
 * is the way to an embedded database that `serve` holds open.
 */
import { UsageError } from '../domain/errors.js';
import type { GuardSettings } from '../store/guard.js';
import { openStore, storeConfigFromEnv } from '../store/open.js';
import type { Store } from '../store/store.js';

export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(storeConfigFromEnv());
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function guardFromEnv(env: NodeJS.ProcessEnv = process.env): GuardSettings {
  const raw = env.MOCK_DATA_ENABLED?.trim().toLowerCase();
  const envEnabled = raw === undefined || raw === '' ? null : ['true', '1', 'yes', 'on'].includes(raw) ? true : ['false', '0', 'no', 'off'].includes(raw) ? false : null;
  if (raw && envEnabled === null) throw new UsageError(`MOCK_DATA_ENABLED must be true or false (got '${env.MOCK_DATA_ENABLED}')`);
  const max = env.MOCK_DATA_MAX_RECORDS ? Number(env.MOCK_DATA_MAX_RECORDS) : 50_000_000;
  if (!Number.isInteger(max) || max < 1) throw new UsageError(`MOCK_DATA_MAX_RECORDS must be a whole number above 0 (got '${env.MOCK_DATA_MAX_RECORDS}')`);
  return { envEnabled, maxRecords: max };
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
    res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
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
