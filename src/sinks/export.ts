/**
 * Exports: records (from the store) out as NDJSON, JSON (one array), CSV or Parquet. NDJSON,
 * JSON and CSV are the exact text `generate --out` writes for the same records. Parquet goes through
 * DuckDB (zstd), which needs a file: the NDJSON is spooled to a temporary directory,
 * converted, and the caller streams the Parquet file, which is removed afterwards.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { EntityName } from '../domain/entities.js';
import { ENTITY_SCHEMAS } from '../domain/entities.js';
import type { ExportFormat } from '../domain/jobs.js';
import { csvEncoder, csvHeader, fileFraming } from './encode.js';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};

async function* textLines(entity: EntityName, format: 'ndjson' | 'json' | 'csv', records: AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
  const encode = format === 'csv' ? csvEncoder(ENTITY_SCHEMAS[entity]) : JSON.stringify;
  if (format === 'csv') yield csvHeader(ENTITY_SCHEMAS[entity]);
  // JSON: the array `generate --format json` writes (its framing), `[]` when there is nothing.
  const framing = format === 'json' ? fileFraming('json', entity) : null;
  let chunk = '';
  let first = true;
  for await (const r of records) {
    chunk += framing ? `${first ? framing.head : framing.separator}${encode(r)}` : `${encode(r)}\n`;
    first = false;
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (framing) chunk += first ? '[]\n' : framing.tail;
  if (chunk) yield chunk;
}

/** An empty table still exports its columns (every one as text: there is no row to infer types from). */
const emptySelect = (entity: EntityName) =>
  `SELECT ${Object.keys(ENTITY_SCHEMAS[entity].shape)
    .map((c) => `CAST(NULL AS VARCHAR) AS "${c}"`)
    .join(', ')} WHERE false`;

export interface ExportStream {
  stream: Readable;
  /** Removes temporary files; call when the response is done (or failed). */
  cleanup: () => Promise<void>;
}

export async function exportRecords(entity: EntityName, format: ExportFormat, records: AsyncIterable<Record<string, unknown>>): Promise<ExportStream> {
  if (format !== 'parquet') return { stream: Readable.from(textLines(entity, format, records)), cleanup: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'orderstream-export-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const ndjson = join(dir, `${entity}.ndjson`);
    const file = await open(ndjson, 'w');
    let count = 0;
    try {
      for await (const text of textLines(entity, 'ndjson', records)) {
        await file.write(text);
        count++;
      }
    } finally {
      await file.close();
    }
    const parquet = join(dir, `${entity}.parquet`);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      // Paths are ours (mkdtemp); DuckDB's COPY takes no parameters for file names.
      const query = count ? `SELECT * FROM read_json('${ndjson}', format = 'newline_delimited')` : emptySelect(entity);
      await conn.run(`COPY (${query}) TO '${parquet}' (FORMAT parquet, COMPRESSION zstd)`);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    const stream = createReadStream(parquet);
    return { stream, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
