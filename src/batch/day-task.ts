/**
 * One day of a batch run, as a worker (or the main thread, with --workers 1) performs it:
 * simulate, validate, encode, and pack every output into a single byte buffer so it can
 * be transferred to the writer without copying.
 */
import type { AnomalyLabel } from '../domain/anomalies.js';
import type { OutputFormat } from '../domain/config.js';
import type { EntityName, FactEntity } from '../domain/entities.js';
import { FACT_ENTITIES } from '../domain/entities.js';
import { simulateDay } from '../simulation/day.js';
import { validateDay, type ValidationReport } from '../simulation/validate.js';
import type { DayPlan, World } from '../simulation/world.js';
import { entityEncoders, fileFraming, type EntityEncoders } from '../sinks/encode.js';

export interface DayTaskOptions {
  format: OutputFormat;
  /** False for a dry run: count and validate, encode nothing. */
  encode: boolean;
  events: boolean;
}

/** Where each output's text sits in the packed buffer. */
export interface Segment {
  name: FactEntity | 'anomalies' | 'events';
  start: number;
  end: number;
  records: number;
}

export interface DayTaskResult {
  index: number;
  orders: number;
  counts: Record<FactEntity, number>;
  anomalies: number;
  validation: ValidationReport;
  segments: Segment[];
  /** Event timestamps and line offsets (relative to the events segment), for the time-ordered merge. */
  eventTimes: number[];
  eventOffsets: number[];
  bytes: Uint8Array;
}

const encoder = new TextEncoder();
const encodersByFormat = new Map<OutputFormat, EntityEncoders>();

export function runDayTask(world: World, plan: DayPlan, dimKeys: Parameters<typeof validateDay>[1], opts: DayTaskOptions): DayTaskResult {
  const ctx = simulateDay(world, plan, opts.events);
  const validation = validateDay(ctx.records, dimKeys);
  const counts = Object.fromEntries(FACT_ENTITIES.map((e) => [e, ctx.records[e].length])) as Record<FactEntity, number>;
  const result: DayTaskResult = {
    index: plan.index,
    orders: plan.count,
    counts,
    anomalies: ctx.anomalies.length,
    validation,
    segments: [],
    eventTimes: [],
    eventOffsets: [],
    bytes: new Uint8Array(0),
  };
  if (!opts.encode) return result;

  let encoders = encodersByFormat.get(opts.format);
  if (!encoders) encodersByFormat.set(opts.format, (encoders = entityEncoders(opts.format)));
  const parts: Array<{ name: Segment['name']; bytes: Uint8Array; records: number }> = [];
  for (const entity of FACT_ENTITIES) {
    const rows = ctx.records[entity] as never[];
    if (!rows.length) continue;
    const encode = encoders[entity];
    const text = rows.map((r) => encode(r)).join(fileFraming(opts.format, entity as EntityName).separator);
    parts.push({ name: entity, bytes: encoder.encode(text), records: rows.length });
  }
  if (ctx.anomalies.length) {
    const text = ctx.anomalies.map((a: AnomalyLabel) => JSON.stringify(a)).join('\n');
    parts.push({ name: 'anomalies', bytes: encoder.encode(text), records: ctx.anomalies.length });
  }
  if (opts.events) {
    const envelopes = ctx.envelopes();
    let offset = 0;
    for (const e of envelopes) {
      result.eventTimes.push(e.t);
      result.eventOffsets.push(offset);
      offset += Buffer.byteLength(e.line) + 1;
    }
    result.eventOffsets.push(offset);
    if (envelopes.length) parts.push({ name: 'events', bytes: encoder.encode(envelopes.map((e) => `${e.line}\n`).join('')), records: envelopes.length });
  }
  result.bytes = new Uint8Array(parts.reduce((sum, p) => sum + p.bytes.length, 0));
  let at = 0;
  for (const p of parts) {
    result.bytes.set(p.bytes, at);
    result.segments.push({ name: p.name, start: at, end: at + p.bytes.length, records: p.records });
    at += p.bytes.length;
  }
  return result;
}
