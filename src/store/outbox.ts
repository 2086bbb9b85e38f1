/**
 * The outbox (migration 005): the server's record of the events it published. The live
 * simulation's events are written here in the transaction that writes what they describe
 * (seq still empty) and published only once that committed; every published event gets its
 * seq recorded. A restart publishes what was committed but never published, and reloads the
 * recent history so clients resume across the restart.
 */
import { CHANGE_COLUMNS, rowChangeOf, type ChangeRow } from './change-feed.js';
import { META_SCHEMA, MOCK_SCHEMA } from './schema.js';
import type { Queryable } from './store.js';

const OUTBOX = `${META_SCHEMA}.outbox`;
const CHANGE_LOG = `${MOCK_SCHEMA}.change_log`;

/**
 * Envelopes go one parameter each (VALUES), not as one text[]: JSON is full of quotes, which
 * an array literal escapes and the server unescapes, and on PGlite (WebAssembly, on the
 * database's one thread) that made the insert about 1.7× as costly. Rows per statement stay
 * well under the 65,535 parameters a statement may have.
 */
const ROWS_PER_STATEMENT = 5000;

/** Writes envelopes not yet published (inside the caller's transaction); returns their ids, in order. */
export async function appendUnpublished(db: Queryable, envelopes: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < envelopes.length; i += ROWS_PER_STATEMENT) {
    const chunk = envelopes.slice(i, i + ROWS_PER_STATEMENT);
    // One statement: its rows take ids from the sequence in the order they are listed.
    const { rows } = await db.query<{ id: string | number }>(`INSERT INTO ${OUTBOX} (envelope) VALUES ${chunk.map((_, k) => `($${k + 1}::text)`).join(', ')} RETURNING id`, chunk);
    ids.push(...rows.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  return ids;
}

/**
 * Records the seq each event was published with: rows written before (by id) and events
 * recorded only now. An event with a `changeId` tells of a change_log row: its envelope is
 * stored without its data, which recentPublished joins back.
 */
export async function recordPublished(
  db: Queryable,
  marks: ReadonlyArray<{ id: number; seq: number }>,
  added: ReadonlyArray<{ envelope: string; seq: number; changeId?: number }>,
): Promise<void> {
  if (marks.length) {
    await db.query(`UPDATE ${OUTBOX} o SET seq = m.seq FROM unnest($1::bigint[], $2::bigint[]) AS m(id, seq) WHERE o.id = m.id`, [marks.map((m) => m.id), marks.map((m) => m.seq)]);
  }
  for (let i = 0; i < added.length; i += ROWS_PER_STATEMENT) {
    const chunk = added.slice(i, i + ROWS_PER_STATEMENT);
    await db.query(
      `INSERT INTO ${OUTBOX} (envelope, seq, change_id) VALUES ${chunk.map((_, k) => `($${3 * k + 1}::text, $${3 * k + 2}::bigint, $${3 * k + 3}::bigint)`).join(', ')}`,
      chunk.flatMap((a) => [a.envelope, a.seq, a.changeId ?? null]),
    );
  }
}

/**
 * The last `limit` published events, oldest first, as their envelopes (JSON). A row change's
 * data comes back from change_log; the history ends after the newest one gone from there.
 */
export async function recentPublished(db: Queryable, limit: number): Promise<Array<{ seq: number; envelope: string }>> {
  const { rows } = await db.query<{ seq: string | number; envelope: string; ref: string | number | null } & Partial<ChangeRow>>(
    `SELECT o.seq, o.envelope, o.change_id AS ref, ${CHANGE_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')}
     FROM (SELECT seq, envelope, change_id FROM ${OUTBOX} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT $1) o
     LEFT JOIN ${CHANGE_LOG} c ON c.change_id = o.change_id ORDER BY o.seq DESC`,
    [limit],
  );
  const recent: Array<{ seq: number; envelope: string }> = [];
  for (const r of rows) {
    // A change gone from change_log (a cleanup empties it; old ones are pruned) ends the history
    // here: a hole in its middle would let a resuming client skip it unawares, while one before
    // the oldest event held is reported to it as a gap.
    if (r.ref !== null && r.change_id == null) break;
    recent.push({ seq: Number(r.seq), envelope: r.ref === null ? r.envelope : JSON.stringify({ ...(JSON.parse(r.envelope) as object), data: rowChangeOf(r as ChangeRow) }) });
  }
  return recent.reverse();
}

/** Committed but never published (the server stopped in between), in the order they were written. */
export async function unpublished(db: Queryable): Promise<Array<{ id: number; envelope: string }>> {
  const { rows } = await db.query<{ id: string | number; envelope: string }>(`SELECT id, envelope FROM ${OUTBOX} WHERE seq IS NULL ORDER BY id`);
  return rows.map((r) => ({ id: Number(r.id), envelope: r.envelope }));
}

/** Forgets published events older than the last `keep` (counted, not by seq: numbering may jump after a crash, see event-log.ts). */
export async function prunePublished(db: Queryable, keep: number): Promise<void> {
  await db.query(`DELETE FROM ${OUTBOX} WHERE seq < (SELECT seq FROM ${OUTBOX} WHERE seq IS NOT NULL ORDER BY seq DESC OFFSET $1 LIMIT 1)`, [keep - 1]);
}

const SEQ_KEY = 'event_seq_reserved';

/** The highest seq the last run may have issued (its reservation, or exactly its last seq after a clean stop); null before any. */
export async function readSeqReserved(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ value: number }>(`SELECT value FROM ${META_SCHEMA}.settings WHERE key = $1`, [SEQ_KEY]);
  return rows.length ? Number(rows[0].value) : null;
}

export async function writeSeqReserved(db: Queryable, seq: number): Promise<void> {
  await db.query(
    `INSERT INTO ${META_SCHEMA}.settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [SEQ_KEY, JSON.stringify(seq)],
  );
}
