/**
 * The app's one way to the server. An API token given once as `?token=` in the page URL is
 * kept in sessionStorage and sent as `Authorization: Bearer` on every request (and as
 * `token=` on stream URLs, which cannot carry headers).
 */
import type { ErrorBody } from '../../../src/domain/api.js';

const TOKEN_KEY = 'orderstream.token';

function readToken(): string | null {
  const url = new URL(window.location.href);
  const given = url.searchParams.get('token');
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export const token: string | null = readToken();

/** A stream URL (ws or http) with the token as a query parameter when there is one. */
export function streamUrl(path: string, params: Record<string, string | number | undefined> = {}, ws = false): string {
  const base = ws ? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}` : location.origin;
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorBody> | null,
    message: string,
  ) {
    super(message);
  }
  /** Writes refused by the server's safety rules (spec 002) or a disabled store. */
  get refused(): boolean {
    return this.status === 403 || this.status === 423 || /refused|disabled/.test(this.body?.error ?? '');
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, null, `the server cannot be reached (${(err as Error).message})`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const e = body as Partial<ErrorBody> | null;
    throw new ApiError(res.status, e, e?.message ?? `${res.status} ${res.statusText}`);
  }
  return body as T;
}

/** A download (export): the response as a Blob with the server's file name. */
export async function download(path: string, body: unknown): Promise<{ blob: Blob; name: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!res.ok) {
    const e = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
    throw new ApiError(res.status, e, e?.message ?? `${res.status} ${res.statusText}`);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
  return { blob: await res.blob(), name };
}
