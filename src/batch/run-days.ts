/**
 * The batch speed of the one engine. Worker threads draft the days' orders in parallel;
 * this thread runs the engine over them strictly in time order (the warehouse, the orders'
 * stock, purchase orders, alerts, analytics); once a day's stock is settled, the thread
 * that drafted it writes it. Results are consumed in day order, so the output depends on
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

/** Where days are drafted and written: worker threads, or (tests, tiny runs) this thread. */
export interface DayRunner {
  draft(plan: DayPlan): Promise<{ drafted: DraftedDay; slot: number }>;
  write(plan: DayPlan, task: DayToWrite, slot: number, options: DayTaskOptions): Promise<DayTaskResult>;
  /** Hands a written result's bytes back to the thread that wrote them, to be filled again. */
  recycle?(slot: number, bytes: Uint8Array): void;
  close(): Promise<void>;
  readonly parallelism: number;
}

export class ThreadRunner implements DayRunner {
  private readonly pool: AffinityPool;
  /** Per thread, buffers to return with its next write task. */
  private readonly returning: ArrayBuffer[][];
  constructor(
    file: string,
    private readonly config: SimulationConfig,
    readonly parallelism: number,
  ) {
    // A larger young generation: the run is allocation-bound (16 MB semi-space 12.0 s, 64 MB 9.2 s, 128 MB 10.5 s on a year).
    this.pool = new AffinityPool(file, parallelism, { maxYoungGenerationSizeMb: 192 });
    this.returning = Array.from({ length: parallelism }, () => []);
    // Each thread builds its World (~0.3 s) while this one builds its own.
    for (let i = 0; i < parallelism; i++) this.pool.run(i, { kind: 'init', config }).catch(() => undefined);
  }
  async draft(plan: DayPlan) {
    const slot = this.pool.idlest();
    return { drafted: await this.pool.run<DraftedDay>(slot, { kind: 'draft', config: this.config, plan }), slot };
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

export class InThreadRunner implements DayRunner {
  readonly parallelism = 1;
  readonly work: DayWork;
  /** `world`: the caller's own world of this configuration, shared (this thread needs no second one). */
  constructor(config: SimulationConfig, world?: World) {
    this.work = new DayWork(config, world);
  }
  async draft(plan: DayPlan) {
    return { drafted: this.work.draft(plan), slot: 0 };
  }
  async write(plan: DayPlan, task: DayToWrite, _slot: number, options: DayTaskOptions) {
    return this.work.write(plan, task, options);
  }
  recycle(_slot: number, bytes: Uint8Array) {
    this.work.recycle([bytes.buffer as ArrayBuffer]);
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
  const drafts = new Map<number, Promise<{ drafted: DraftedDay; slot: number }>>();
  const slots: number[] = new Array(days).fill(0);
  const writes: Array<{ day: number; result: Promise<DayTaskResult>; movements: DayToWrite['movements'] | null }> = [];
  let nextDraft = 0;
  let nextWrite = 0;
  const aborted = () => options.signal?.aborted;

  const draft = (d: number) => {
    const p = runner.draft(plans[d]);
    p.catch(() => undefined); // an abort rejects every day in flight; the loop reports it once
    drafts.set(d, p);
  };
  const write = (d: number) => {
    const book = outcomes[d]!;
    const ymd = plans[d].date.replaceAll('-', '');
    const taken = movements[d].take(ymd);
    const here = options.movementsHere === true && !options.events;
    const task: DayToWrite = { day: d, outcomeKind: book.kind, outcomeAt: book.at, waited: book.waited, movements: here ? new MovementBuffer().take(ymd) : taken };
    outcomes[d] = null;
    const result = runner.write(plans[d], task, slots[d], options);
    result.catch(() => undefined);
    writes.push({ day: d, result, movements: here ? taken : null });
  };
  const consumeHead = async () => {
    const head = writes.shift()!;
    const result = await head.result;
    if (aborted()) throw options.signal!.reason ?? new Error('aborted');
    const events = engineEvents[head.day];
    engineEvents[head.day] = [];
    await consume({ plan: plans[head.day], result, engineEvents: events, movements: head.movements });
    if (options.reuseBytes) runner.recycle?.(slots[head.day], result.bytes);
  };

  for (let d = 0; d < days; d++) {
    while (nextDraft < days && nextDraft <= d + lookahead) draft(nextDraft++);
    const { drafted, slot } = await drafts.get(d)!;
    drafts.delete(d);
    if (aborted()) throw options.signal!.reason ?? new Error('aborted');
    slots[d] = slot;
    outcomes[d] = new OutcomeBook(drafted.t0.length);
    source.add(drafted);
    engine.advanceTo(Math.min(plans[d].startMs + DAY_MS, asOf) - 1);
    // A dataset that ends with its last day has that day's summary and forecasts (made at
    // the midnight that ends it); one that ends mid-day (serve's seed) leaves them to live.
    if (d === days - 1 && world.config.asOfMs === undefined && days > 0) engine.closeLastDay(asOf);
    // A day is written once every order of it knows how its stock turned out (at most the
    // longest patience later) and its movements are complete.
    while (nextWrite <= d && outcomes[nextWrite]!.unresolved === 0) write(nextWrite++);
    while (writes.length > runner.parallelism * 2) await consumeHead();
  }
  // As of now, whatever still waits for stock is written as waiting.
  while (nextWrite < days) write(nextWrite++);
  while (writes.length) await consumeHead();
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
  const runner = new InThreadRunner(config);
  const world = runner.work.world;
  const visiting: DayRunner = {
    parallelism: 1,
    draft: (plan) => runner.draft(plan),
    write: async (plan, task) => {
      visit(runner.work.render(plan, task, options.events ?? false), world);
      return { index: plan.index, orders: 0, counts: {} as DayTaskResult['counts'], anomalies: 0, validation: emptyReport(), segments: [], eventTimes: [], eventOffsets: [], bytes: new Uint8Array(0) };
    },
    close: async () => undefined,
  };
  // The planner's and the warehouse's own rows (forecasts, alerts, daily summaries), from the engine's events.
  const engine = emptyEngineRecords();
  const { stock } = await runDays(world, world.planDays(), visiting, { format: 'ndjson', encode: false, events: options.events ?? false }, async (day) => void engineRecords(day.engineEvents, engine));
  return { world, stock, engine };
}
