/**
 * A batch run's work on one day, as a worker thread (or, in tests, the calling thread)
 * performs it, in two steps:
 *
 *  1. draft: plan every order arriving that day as if its stock were on the shelf, and
 *     hand the engine what it needs (day-summary.ts); the plans stay here;
 *  2. write: once the engine has settled the day's stock, write the day's rows as of the
 *     dataset's now, validate them and encode them into one byte buffer that is moved, not
 *     copied, to the writer.
 */
import type { AnomalyLabel } from '../domain/anomalies.js';
import type { OutputFormat } from '../domain/config.js';
import type { EntityName, FactEntity } from '../domain/entities.js';
import { FACT_ENTITIES } from '../domain/entities.js';
import { envelopeLine, eventNamespace } from '../domain/event-id.js';
import { arrivalTimes, type DayPlan } from '../simulation/arrivals.js';
import { ALLOCATED } from '../simulation/lifecycle.js';
import { planOrder, replan, type OrderSettings, type PlannedOrder } from '../simulation/order-plan.js';
import { beginDay, endDay, renderMovement, renderOrder, type DayContext } from '../simulation/render.js';
import { dimensionKeys, validateDay, type ValidationReport } from '../simulation/validate.js';
import { iso } from '../simulation/time.js';
import { World, type SimulationConfig } from '../simulation/world.js';
import { entityEncoders, fileFraming, jsonTexts, type EntityEncoders } from '../sinks/encode.js';
import { encodeDraftedDay, movementAt, outcomeOf, type DayToWrite, type DraftedDay } from './day-summary.js';

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

/**
 * Appends text to one growing byte buffer: writing each record straight into it saved the
 * intermediate joined string and a second UTF-8 pass (about a tenth of a worker's time).
 * The buffer is handed over whole (its slab is transferred, not copied into a fitted one)
 * and, once the writer is done with it, comes back to be filled again: a fresh multi-MB
 * buffer per day cost page faults and zeroing in the kernel and a copy in `take`.
 */
class ByteSink {
  private buf: Buffer;
  length = 0;
  constructor(spare: ArrayBuffer | undefined) {
    this.buf = spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(1 << 20);
  }
  private room(bytes: number): void {
    if (this.length + bytes <= this.buf.length) return;
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so it can be transferred.
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.length + bytes));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }
  write(text: string): void {
    this.room(text.length * 3);
    this.length += this.buf.write(text, this.length);
  }
  /** A one-byte separator (a newline) without a call into the string encoder. */
  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }
  /** The bytes written, as a view on the whole (transferable) slab. */
  take(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.length);
  }
}

/** A separator as ByteSink writes it: one byte when it is one ASCII character. */
function separatorWriter(sink: ByteSink, separator: string): () => void {
  if (separator.length === 1 && separator.charCodeAt(0) < 0x80) {
    const b = separator.charCodeAt(0);
    return () => sink.byte(b);
  }
  return () => sink.write(separator);
}

const encodersByFormat = new Map<OutputFormat, EntityEncoders>();

/** The two steps for every day of one run configuration (a worker keeps one per run). */
export class DayWork {
  readonly world: World;
  private readonly settings: OrderSettings;
  private readonly keys: ReturnType<typeof dimensionKeys>;
  private readonly drafted = new Map<number, PlannedOrder[]>();
  private namespace: Buffer | null = null;
  /** Byte buffers the writer has finished with (see ByteSink). */
  private readonly spare: ArrayBuffer[] = [];

  /** `world`: one of this configuration already built in this thread (in-thread runs share the caller's). */
  constructor(readonly config: SimulationConfig, world?: World) {
    this.world = world ?? new World(config);
    this.settings = { patterns: this.world.patterns, timings: this.world.scenario.lifecycle };
    this.keys = dimensionKeys(this.world.dims);
  }

  /** Step 1: the day's orders, planned as if every line came off the shelf. */
  draft(plan: DayPlan): DraftedDay {
    const times = arrivalTimes(this.world, plan);
    const asOf = this.world.asOfMs;
    const plans: PlannedOrder[] = [];
    for (let i = 0; i < plan.count && times[i] < asOf; i++) plans.push(planOrder(this.world, plan.orderOffset + i, times[i], this.settings, ALLOCATED));
    this.drafted.set(plan.index, plans);
    return encodeDraftedDay(this.world, plan.index, plan.orderOffset, plans);
  }

  /** A drafted day that will not be written (an engine-only run). */
  discard(plan: DayPlan): void {
    this.drafted.delete(plan.index);
  }

  /** Step 2, without encoding: the day's rows as of the dataset's now. */
  render(plan: DayPlan, task: DayToWrite, events: boolean): DayContext {
    if (!this.drafted.has(plan.index)) this.draft(plan);
    const plans = this.drafted.get(plan.index)!;
    this.drafted.delete(plan.index);
    const ctx = beginDay(this.world, plan, events);
    plans.forEach((p, i) => {
      const outcome = outcomeOf(task.outcomeKind[i], task.outcomeAt[i]);
      renderOrder(ctx, outcome.kind === 'allocated' ? p : replan(this.world, p.draft, this.settings.timings, outcome), task.waited[i]);
    });
    const m = task.movements;
    for (let i = 0; i < m.seq.length; i++) renderMovement(ctx, movementAt(m, i));
    endDay(ctx);
    return ctx;
  }

  /** Takes back the buffer of an earlier result, once nothing reads it any more. */
  recycle(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) if (b.byteLength > 0 && this.spare.length < 4) this.spare.push(b);
  }

  /** Step 2: rendered, validated and encoded. */
  write(plan: DayPlan, task: DayToWrite, opts: DayTaskOptions): DayTaskResult {
    const ctx = this.render(plan, task, opts.events);
    const validation = validateDay(ctx.records, this.keys, plan.orderOffset + plan.count);
    const counts = Object.fromEntries(FACT_ENTITIES.map((e) => [e, ctx.records[e].length])) as Record<FactEntity, number>;
    const result: DayTaskResult = {
      index: plan.index,
      orders: ctx.records.orders.length,
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
    const sink = new ByteSink(this.spare.pop());
    const segment = (name: Segment['name'], records: number, body: () => void) => {
      const start = sink.length;
      body();
      result.segments.push({ name, start, end: sink.length, records });
    };
    for (const entity of FACT_ENTITIES) {
      const rows = ctx.records[entity] as never[];
      if (!rows.length) continue;
      const encode = encoders[entity];
      const separate = separatorWriter(sink, fileFraming(opts.format, entity as EntityName).separator);
      segment(entity, rows.length, () => {
        const texts = encode === JSON.stringify ? jsonTexts(rows) : null;
        for (let i = 0; i < rows.length; i++) {
          if (i) separate();
          sink.write(texts ? texts[i] : encode(rows[i]));
        }
      });
    }
    if (ctx.anomalies.length) {
      // Within a day, labels in the order they become observable (a stable sort: ties keep generation order).
      const labels = [...ctx.anomalies].sort((a: AnomalyLabel, b: AnomalyLabel) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      segment('anomalies', labels.length, () => labels.forEach((a, i) => (i && sink.byte(0x0a), sink.write(JSON.stringify(a)))));
    }
    if (ctx.events) {
      const ns = (this.namespace ??= eventNamespace(this.config.seed));
      // Time order; events at the same instant keep the order they were produced in.
      const events = ctx.events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
      segment('events', events.length, () => {
        const base = sink.length;
        for (const { e } of events) {
          result.eventTimes.push(e.t);
          result.eventOffsets.push(sink.length - base);
          sink.write(`${envelopeLine(ns, e.type, iso(e.t), e.data)}\n`);
        }
        result.eventOffsets.push(sink.length - base);
      });
    }
    result.bytes = sink.take();
    return result;
  }
}
