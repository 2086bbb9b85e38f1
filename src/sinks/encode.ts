/**
 * Record encoders, driven by the zod entity schemas.
 *
 * JSON is JSON.stringify: measured against a straight-line serializer compiled from the
 * schemas and against fast-json-stringify, V8's native fast path was the quickest once the
 * output is joined (about 3 µs per record here). A batch of records is quicker still as
 * one call (jsonTexts). Records are built with their keys in
 * schema order, so JSON and CSV agree on field order (a test holds us to it).
 *
 * CSV is hand-rolled (RFC 4180 quoting, a dozen lines) over the flat column view of
 * domain/columns.ts: nested objects become `parent_child` columns and arrays or maps are
 * written as JSON text, which no CSV library does from a zod schema. The same text loads
 * into the database tables with COPY.
 */
import type { z } from 'zod';
import { columnsOf } from '../domain/columns.js';
import type { EntityName } from '../domain/entities.js';
import { ENTITY_SCHEMAS } from '../domain/entities.js';
import type { OutputFormat } from '../domain/config.js';

const CSV_NEEDS_QUOTES = /[",\r\n]/;
/** An empty string is quoted so that it stays distinct from null (an empty field), as COPY reads it. */
const csvText = (s: string): string => (s === '' ? '""' : CSV_NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

interface CsvColumn {
  name: string;
  get: (record: Record<string, unknown>) => unknown;
}

function csvColumns(schema: z.ZodType): CsvColumn[] {
  return columnsOf(schema).map((c) => ({
    name: c.name,
    get: c.sub === null ? (r) => r[c.field] : (r) => (r[c.field] as Record<string, unknown> | null)?.[c.sub!] ?? null,
  }));
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return csvText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return csvText(JSON.stringify(value));
}

export function csvHeader(schema: z.ZodType): string {
  return `${csvColumns(schema).map((c) => c.name).join(',')}\n`;
}

export function csvEncoder<T>(schema: z.ZodType): (record: T) => string {
  const columns = csvColumns(schema);
  return (record) => columns.map((c) => csvCell(c.get(record as Record<string, unknown>))).join(',');
}

/** Stands between two records in jsonTexts' one array: a string no record is expected to hold. */
const MARK = '\u0000';
const MARK_TEXT = JSON.stringify([0, MARK, 0]).slice(2, -2); // ,"\u0000",

/**
 * JSON.stringify(record) for each record (objects), from one JSON.stringify of them all
 * with a mark between records. One call instead of one per record: V8's string builder then
 * works in large parts (per record it starts at 32 characters and grows, takes its slow
 * path for strings that do not fit the current part, and leaves about three times the
 * record's text in short-lived strings), so the encoding costs less and the young
 * generation is collected far less often.
 *
 * The marks sit between top-level objects, so the text holds each of them as `,"\u0000",`
 * between a `}` and a `{`; inside a record that text only appears as an array element equal
 * to the mark. So the text is split only if it holds exactly rows.length − 1 of them;
 * otherwise (a record holds the mark) this returns null and the caller encodes record by
 * record. The texts are slices of one string: write them out, do not keep them.
 */
export function jsonTexts(rows: readonly object[]): string[] | null {
  if (rows.length === 0) return [];
  const marked = new Array<unknown>(rows.length * 2 - 1);
  for (let i = 0; i < rows.length; i++) {
    marked[2 * i] = rows[i];
    if (i) marked[2 * i - 1] = MARK;
  }
  const text = JSON.stringify(marked);
  const texts = new Array<string>(rows.length);
  let start = 1;
  for (let i = 0; i < rows.length - 1; i++) {
    const at = text.indexOf(MARK_TEXT, start);
    if (at < 0) return null;
    texts[i] = text.substring(start, at);
    start = at + MARK_TEXT.length;
  }
  if (text.indexOf(MARK_TEXT, start) >= 0) return null;
  texts[rows.length - 1] = text.substring(start, text.length - 1);
  return texts;
}

export type EntityEncoders = { [K in EntityName]: (record: never) => string };

/** One encoder per entity for a format: a record in, one line of text out (no newline). */
export function entityEncoders(format: OutputFormat): EntityEncoders {
  const make = (schema: z.ZodType) => (format === 'csv' ? csvEncoder(schema) : JSON.stringify);
  return Object.fromEntries(Object.entries(ENTITY_SCHEMAS).map(([name, schema]) => [name, make(schema)])) as EntityEncoders;
}

/** Text a file starts and ends with, and what separates two records. */
export function fileFraming(format: OutputFormat, entity: EntityName): { head: string; separator: string; tail: string } {
  if (format === 'json') return { head: '[\n', separator: ',\n', tail: '\n]\n' };
  if (format === 'csv') return { head: csvHeader(ENTITY_SCHEMAS[entity]), separator: '\n', tail: '\n' };
  return { head: '', separator: '\n', tail: '\n' };
}
