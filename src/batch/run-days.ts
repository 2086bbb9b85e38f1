/**
 * The batch speed of the one engine. Worker threads draft the days' orders in parallel;
 * this thread runs the engine over them strictly in time order (the warehouse, the orders'
 * stock, purchase orders, alerts, analytics), and drafts days itself whenever it would
 * otherwise wait for a worker; once a day's stock is settled, the thread that drafted it
 * writes it. Results are consumed in day order, so the output depends on
 * the seed and the options only, never on the number of threads or their timing.
 */
import { AffinityPool } from './pool.js';
import type { DayPlan } from '../simulation/arrivals.js';
import { Engine, type OrderSource, type Placement, type Track } from '../simulation/engine.js';
import { emptyEngineRecords, engineRecords, type EngineRecords } from '../simulation/intelligence-records.js';
import type { Outcome } from '../simulation/lifecycle.js';
import type { TimedEvent } from '../simulation/order-events.js';
import { planOrder, type OrderSettings, type PlannedOrder } from '../simulation/order-plan.js';
import { DAY_MS } from '../simulation/time.js';
import type { SimulationConfig, World } from '../simulation/world.js';
import { DayWork, type DayTaskOptions, type DayTaskResult } from './day-task.js';
import type { DayContext } from '../simulation/render.js';
import { emptyReport } from '../simulation/validate.js';
import { effectsAt, MovementBuffer, OutcomeBook, type DayToWrite, type DraftedDay } from './day-summary.js';

/** This thread's own share of the days: drafted and written here, synchronously. */
export interface LocalDays {
  draft(plan: DayPlan): DraftedDay;
  write(plan: DayPlan, task: DayToWrite, options: DayTaskOptions): DayTaskResult;
  /** Takes back the bytes of an earlier result to fill again. */
  recycle?(buffers: readonly ArrayBuffer[]): void;
}

/** The slot of a day this thread drafted (and so writes). */
export const HERE = -1;

/** Where days are drafted and written: worker threads, this thread, or both. */
export interface DayRunner {
  /**
   * Starts drafting a day on a worker thread with room for it; null when none has room
   * (or there are none): this thread drafts it. Never null without `local`.
   */
  send(plan: DayPlan): { drafted: Promise<DraftedDay>; slot: number } | null;
  /** This thread's share, or null when it must stay free (a server's thread answers requests). */
  readonly local: LocalDays | null;
  write(plan: DayPlan, task: DayToWrite, slot: number, options: DayTaskOptions): Promise<DayTaskResult>;
  /** Hands a written result's bytes back to the worker thread that wrote them, to be filled again. */
  recycle?(slot: number, bytes: Uint8Array): void;
  close(): Promise<void>;
  /** Threads that draft and write: the worker threads, and this one when it has a share. */
  readonly parallelism: number;
}

/**
 * Days a worker thread may have queued while this thread helps: enough that it never runs
 * dry while this thread is busy with the engine or a day of its own (a day is 10–30 ms of
 * work), few enough that this thread, which takes a day only when it would otherwise wait,
 * still finds days to take.
 */
const QUEUE_PER_THREAD = 3;

export class ThreadRunner implements DayRunner {
  private readonly pool: AffinityPool;
  /** Per thread, buffers to return with its next write task. */
  private readonly returning: ArrayBuffer[][];
  readonly parallelism: number;
  /**
   * `threads` worker threads; with `local`, this thread drafts and writes days too, whenever
   * it would otherwise wait for one of them.
   */
  constructor(
    file: string,
    private readonly config: SimulationConfig,
    threads: number,
    readonly local: LocalDays | null = null,
  ) {
    // A larger young generation: the run is allocation-bound (16 MB semi-space 12.0 s, 64 MB 9.2 s, 128 MB 10.5 s on a year).
    this.pool = new AffinityPool(file, threads, { maxYoungGenerationSizeMb: 192 });
    this.returning = Array.from({ length: threads }, () => []);
    this.parallelism = threads + (local ? 1 : 0);
    // Each thread builds its World (~0.3 s) while this one builds its own.
    for (let i = 0; i < threads; i++) this.pool.run(i, { kind: 'init', config }).catch(() => undefined);
  }
  send(plan: DayPlan) {
    const slot = this.pool.idlest();
    if (this.local && this.pool.queued(slot) >= QUEUE_PER_THREAD) return null;
    return { drafted: this.pool.run<DraftedDay>(slot, { kind: 'draft', config: this.config, plan }), slot };
  }
  write(plan: DayPlan, task: DayToWrite, slot: number, options: DayTaskOptions) {
    const recycled = this.returning[slot].splice(0);
    return this.pool.run<DayTaskResult>(slot, { kind: 'write', config: this.config, plan, task, options, recycled }, [...dayToWriteTransfer(task), ...recycled]);
  }
  recycle(slot: number, bytes: Uint8Array) {
    if (bytes.buffer.byteLength > 0 && this.returning[slot].length < 2) this.returning[slot].push(bytes.buffer as ArrayBuffer);
  }
  close() {
    return this.pool.destroy();
  }
}

/** Every day drafted and written in this thread (one worker; tests; a visit of the rows). */
export class InThreadRunner implements DayRunner {
  readonly parallelism = 1;
  constructor(readonly local: LocalDays) {}
  send() {
    return null;
  }
  async write(): Promise<DayTaskResult> {
    throw new Error('a day drafted here is written here');
  }
  async close() {}
}

function dayToWriteTransfer(t: DayToWrite): ArrayBuffer[] {
  const m = t.movements;
  return [t.outcomeKind, t.outcomeAt, t.waited, m.seq, m.t, m.product, m.type, m.qty, m.after, m.order, m.reason].map((a) => a.buffer as ArrayBuffer);
}

/** Drafted days as the engine's order source; an order it must plan again is drafted again here. */
class DraftedOrders implements OrderSource {
  private readonly days: DraftedDay[] = [];
  private pos = 0;

  constructor(
    private readonly world: World,
    private readonly settings: OrderSettings,
  ) {}

  add(day: DraftedDay): void {
    this.days.push(day);
  }

  peek(): number {
    while (this.days.length && this.pos >= this.days[0].t0.length) {
      this.days.shift();
      this.pos = 0;
    }
    return this.days.length ? this.days[0].t0[this.pos] : Number.POSITIVE_INFINITY;
  }

  take(): Placement | null {
    const d = this.days[0];
    const i = this.pos++;
    const from = d.lineStart[i];
    const to = d.lineStart[i + 1];
    return {
      index: d.firstIndex + i,
      t0: d.t0[i],
      products: d.products.subarray(from, to),
      quantities: d.quantities.subarray(from, to),
      damaged: d.damaged[i] === 1,
      totalCents: d.totalCents[i],
      region: d.region[i],
      pattern: d.pattern[i],
      effects: effectsAt(d, i),
      plan: null,
    };
  }

  replan(order: Track, outcome: Outcome): PlannedOrder {
    return planOrder(this.world, order.index, order.t0, this.settings, outcome);
  }
}

export interface RunDaysOptions extends DayTaskOptions {
  signal?: AbortSignal;
  /**
   * `consume` is done with a day's bytes when it returns (the file writer is; a sink that
   * keeps them for later, like the store's COPY batches, is not): they can be reused.
   */
  reuseBytes?: boolean;
  /**
   * The caller renders the days' inventory movements (DayDone.movements) instead of the
   * worker: they are made in this thread anyway, and this thread has time to spare while
   * one worker renders, validates and encodes everything else. Not with the event log,
   * whose stock events are ordered among the day's order events in the worker.
   */
  movementsHere?: boolean;
}

export interface DayDone {
  plan: DayPlan;
  result: DayTaskResult;
  /** The engine's own events of the day (stock thresholds, alerts, forecasts, summaries), in time order. */
  engineEvents: TimedEvent[];
  /** With `movementsHere`: the day's inventory movements, which the result does not hold. */
  movements: DayToWrite['movements'] | null;
}

export interface RunDaysResult {
  /** Stock on hand per product as of the dataset's now. */
  stock: Int32Array;
}

/** One turn of the event loop: messages from worker threads and signals are handled. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the engine over every day of the world's range, handing each written day to `consume` in order. */
export async function runDays(world: World, plans: readonly DayPlan[], runner: DayRunner, options: RunDaysOptions, consume: (day: DayDone) => Promise<void>): Promise<RunDaysResult> {
  const days = plans.length;
  const asOf = world.asOfMs;
  const dayOf = (t: number) => Math.min(days - 1, Math.max(0, Math.floor((t - world.startMs) / DAY_MS)));
  const firstIndex = plans.map((p) => p.orderOffset);
  const dayOfOrder = (index: number) => {
    let lo = 0;
    let hi = days - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (firstIndex[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  const outcomes: Array<OutcomeBook | null> = new Array(days).fill(null);
  const movements: MovementBuffer[] = plans.map(() => new MovementBuffer());
  const engineEvents: TimedEvent[][] = plans.map(() => []);
  const source = new DraftedOrders(world, { patterns: world.patterns, timings: world.scenario.lifecycle });
  const engine = new Engine({
    world,
    startMs: world.startMs,
    source,
    publishOrders: false,
    publishMovements: false,
    // Kept whether or not the event log is written: forecasts, alerts and summaries are tables too.
    onEvent: (e) => engineEvents[dayOf(e.t)].push(e),
    onMovement: (m) => movements[dayOf(m.t)].push(m),
    onPlaced: (order) => outcomes[dayOfOrder(order.index)]!.placed(order.index - firstIndex[dayOfOrder(order.index)], order.waited),
    onResolved: (order) => outcomes[dayOfOrder(order.index)]!.resolve(order.index - firstIndex[dayOfOrder(order.index)], order.outcome),
  });

  const lookahead = runner.parallelism * 3 + 2;
  const local = runner.local;
  /** Days sent to a worker thread: the draft, and whether it has arrived. */
  const sent = new Map<number, { drafted: Promise<DraftedDay>; arrived: boolean }>();
  const draftedHere = new Map<number, DraftedDay>();
  const slots: number[] = new Array(days).fill(HERE);
  const writes: Array<{ day: number; result: Promise<DayTaskResult>; done: boolean; movements: DayToWrite['movements'] | null }> = [];
  let nextDraft = 0;
  let nextWrite = 0;
  const aborted = () => options.signal?.aborted;
  const stopIfAborted = () => {
    if (aborted()) throw options.signal!.reason ?? new Error('aborted');
  };

  /** Sends the coming days to worker threads while they have room. */
  const send = (d: number) => {
    while (nextDraft < days && nextDraft <= d + lookahead) {
      const to = runner.send(plans[nextDraft]);
      if (!to) return;
      const entry = { drafted: to.drafted, arrived: false };
      to.drafted.then(
        () => (entry.arrived = true),
        () => undefined, // an abort rejects every day in flight; the loop reports it once
      );
      sent.set(nextDraft, entry);
      slots[nextDraft++] = to.slot;
    }
  };
  const draftHere = () => {
    draftedHere.set(nextDraft, local!.draft(plans[nextDraft]));
    slots[nextDraft++] = HERE;
  };
  /**
   * This thread's turn to help: rather than wait for a worker thread, it drafts the next
   * day itself. Between days it lets the event loop run, so that the workers' answers (and
   * a signal) are seen. Returns once `ready()` or there is nothing it may take.
   */
  const helpUntil = async (ready: () => boolean, d: number) => {
    await turn();
    while (local && !ready() && nextDraft < days && nextDraft <= d + lookahead) {
      draftHere();
      await turn();
      stopIfAborted();
      send(d);
    }
  };
  const write = (d: number) => {
    const book = outcomes[d]!;
    const ymd = plans[d].date.replaceAll('-', '');
    const taken = movements[d].take(ymd);
    const here = options.movementsHere === true && !options.events;
    const task: DayToWrite = { day: d, outcomeKind: book.kind, outcomeAt: book.at, waited: book.waited, movements: here ? new MovementBuffer().take(ymd) : taken };
    outcomes[d] = null;
    const result = slots[d] === HERE ? Promise.resolve(local!.write(plans[d], task, options)) : runner.write(plans[d], task, slots[d], options);
    const entry = { day: d, result, done: false, movements: here ? taken : null };
    result.then(
      () => (entry.done = true),
      () => undefined,
    );
    writes.push(entry);
  };
  const consumeHead = async (d: number) => {
    const head = writes[0];
    await helpUntil(() => head.done, d);
    writes.shift();
    const result = await head.result;
    stopIfAborted();
    const events = engineEvents[head.day];
    engineEvents[head.day] = [];
    await consume({ plan: plans[head.day], result, engineEvents: events, movements: head.movements });
    if (!options.reuseBytes) return;
    if (slots[head.day] === HERE) local!.recycle?.([result.bytes.buffer as ArrayBuffer]);
    else runner.recycle?.(slots[head.day], result.bytes);
  };

  let lastTurn = performance.now();
  for (let d = 0; d < days; d++) {
    // A run that waits for nothing (one thread) still lets a signal in now and then.
    if (performance.now() - lastTurn > 50) {
      await turn();
      lastTurn = performance.now();
      stopIfAborted();
    }
    send(d);
    if (nextDraft === d) draftHere();
    const pending = sent.get(d);
    if (pending) await helpUntil(() => pending.arrived, d);
    const drafted = pending ? await pending.drafted : draftedHere.get(d)!;
    sent.delete(d);
    draftedHere.delete(d);
    stopIfAborted();
    outcomes[d] = new OutcomeBook(drafted.t0.length);
    source.add(drafted);
    engine.advanceTo(Math.min(plans[d].startMs + DAY_MS, asOf) - 1);
    // A dataset that ends with its last day has that day's summary and forecasts (made at
    // the midnight that ends it); one that ends mid-day (serve's seed) leaves them to live.
    if (d === days - 1 && world.config.asOfMs === undefined && days > 0) engine.closeLastDay(asOf);
    // A day is written once every order of it knows how its stock turned out (at most the
    // longest patience later) and its movements are complete.
    while (nextWrite <= d && outcomes[nextWrite]!.unresolved === 0) write(nextWrite++);
    while (writes.length > runner.parallelism * 2) await consumeHead(d);
  }
  // As of now, whatever still waits for stock is written as waiting.
  while (nextWrite < days) write(nextWrite++);
  while (writes.length) await consumeHead(days);
  return { stock: Int32Array.from(engine.ledger.level) };
}

/**
 * The engine over the whole range in this thread, writing nothing: what the warehouse and
 * the planner do (stock, forecasts, alerts, summaries) at a fraction of a full run's cost.
 * Its events are the engine's own (no order or movement events); the engine is returned
 * for its planner, ledger and statistics.
 */
export function runEngineOnly(config: SimulationConfig, onEvent: (e: TimedEvent) => void = () => undefined): { world: World; engine: Engine } {
  const work = new DayWork(config);
  const world = work.world;
  const source = new DraftedOrders(world, { patterns: world.patterns, timings: world.scenario.lifecycle });
  const engine = new Engine({ world, startMs: world.startMs, source, publishOrders: false, publishMovements: false, onEvent });
  const plans = world.planDays();
  plans.forEach((plan, d) => {
    source.add(work.draft(plan));
    work.discard(plan);
    engine.advanceTo(Math.min(plan.startMs + DAY_MS, world.asOfMs) - 1);
    if (d === plans.length - 1 && config.asOfMs === undefined) engine.closeLastDay(world.asOfMs);
  });
  return { world, engine };
}

/**
 * Runs the batch engine in this thread and hands each day's rows to `visit` as objects
 * (tests and library callers that want records rather than files).
 */
export async function visitDays(
  config: SimulationConfig,
  visit: (day: DayContext, world: World) => void,
  options: { events?: boolean } = {},
): Promise<{ world: World; stock: Int32Array; engine: EngineRecords }> {
  const work = new DayWork(config);
  const world = work.world;
  const visiting = new InThreadRunner({
    draft: (plan) => work.draft(plan),
    write: (plan, task) => {
      visit(work.render(plan, task, options.events ?? false), world);
      return { index: plan.index, orders: 0, counts: {} as DayTaskResult['counts'], anomalies: 0, validation: emptyReport(), segments: [], eventTimes: [], eventOffsets: [], bytes: new Uint8Array(0) };
    },
  });
  // The planner's and the warehouse's own rows (forecasts, alerts, daily summaries), from the engine's events.
  const engine = emptyEngineRecords();
  const { stock } = await runDays(world, world.planDays(), visiting, { format: 'ndjson', encode: false, events: options.events ?? false }, async (day) => void engineRecords(day.engineEvents, engine));
  return { world, stock, engine };
}
