/**
 * One interface over the two PostgreSQL backends: embedded PGlite (the default) and a
 * server reached by DATABASE_URL. Everything above this file is backend-agnostic: the
 * same SQL, the same parameter style, the same row shapes (numbers as numbers, times as
 * ISO strings).
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  /** Always parameterised: values travel as $1…$n, never spliced into the text. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Transaction extends Queryable {
  /** Bulk load RFC 4180 CSV (no header) into a table: COPY, the fastest path each backend has. */
  copyCsv(table: string, columns: readonly string[], csv: Uint8Array): Promise<void>;
  /** Several static statements at once (migrations): no parameters allowed. */
  exec(sql: string): Promise<void>;
}

export interface Listener {
  close(): Promise<void>;
}

export interface ListenHandlers {
  onNotify: (payload: string) => void;
  /** The listening connection broke; the caller decides when to listen again. */
  onDrop: (err: Error) => void;
}

export type BackendKind = 'pglite' | 'postgres';

export interface Store extends Queryable {
  readonly backend: BackendKind;
  /** Where the data lives, safe to print (no password). */
  readonly location: string;
  /**
   * Commits what `fn` did, or rolls it back when `fn` throws. Statements `fn` issues without
   * awaiting the one before run in the order issued; `fn` awaits them all before it returns
   * (a failed statement left unawaited would turn the commit into a silent rollback).
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** LISTEN on a connection of its own. */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

/** Quote an identifier we generated ourselves (tables and columns come from the entity schemas, never from input). */
export const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
};

/** timestamptz text (the session runs in UTC) → the ISO form the rest of orderstream uses. */
export function isoFromPg(text: string): string {
  const ms = Date.parse(text.replace(' ', 'T').replace(/\+00$/, 'Z'));
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

/** Type OIDs whose text form we parse the same way on both backends. */
export const TYPE_PARSERS: Record<number, (text: string) => unknown> = {
  20: Number, // int8: counts and sequence ids stay well below 2^53
  1700: Number, // numeric: money is numeric(14,2)
  1184: isoFromPg, // timestamptz
};
