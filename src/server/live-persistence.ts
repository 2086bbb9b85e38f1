/**
 * The live simulation backed by the store. On a first start the store is seeded with a
 * demo dataset: the simulation's own history, STORE_DEMO_DAYS days of it (30 by default) up to the instant it
 * starts, written by the batch speed of the same engine, so the live simulation continues
 * it seamlessly (the same orders move on, the same stock). The simulation then writes
 * through (store/live-writer.ts). A restart replays the simulation from its epoch, with the
 * changes made to it, up to where it stopped, and continues from there.
 */
import { DIMENSION_ENTITIES, type OrderStatus } from '../domain/entities.js';
import type { ServerConfig } from '../domain/server-config.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { GenerateOptions } from '../domain/config.js';
import { estimateRecords, generateAhead, loadGenerated, type GeneratedRun, type StoreGenerationRequest } from '../jobs/store-generation.js';
import { orderIndexOf } from '../domain/ids.js';
import { resumePoint, resumeStartMs, type LiveEvent, type LiveSimulation, type SimulationChange } from '../simulation/live.js';
import { orderItemRecordsOf, orderRecordOf } from '../simulation/orders.js';
import { DAY_MS, iso, localDate, localMidnight } from '../simulation/time.js';
import { renderMovementRecord } from '../simulation/render.js';
import { engineRecordOf } from '../simulation/intelligence-records.js';
import type { Movement } from '../simulation/ledger.js';
import { allowedWithoutStore, checkWrite, WriteRefused, type GuardSettings } from '../store/guard.js';
import { LiveWriter, readLiveState, type LiveState } from '../store/live-writer.js';
import { MOCK_SCHEMA, tableOf } from '../store/schema.js';
import { lockChangeFeed } from '../store/queries/locks.js';
import { insertRecords } from '../store/queries/records.js';
import type { Store } from '../store/store.js';
import type { EventHub, EventInput } from '../hub/hub.js';
import type { LiveClock } from '../simulation/live-clock.js';
import { eventNamespace } from '../domain/event-id.js';
import { envelopeOf } from '../simulation/envelope.js';
import { getMarket } from '../catalog/index.js';

/** "the 30 days before now", "the day before now": how the log names the demo dataset's history. */
export const demoDaysBeforeNow = (days: number): string => (days === 1 ? 'the day before now' : `the ${days} days before now`);

export interface LivePlan {
  /** The simulation's first instant. */
  epochMs: number;
  /** Where publishing begins (now, or where a restarted simulation stopped). */
  startMs: number;
  firstOrderIndex: number;
  /** Changes to replay before startMs. */
  changes: SimulationChange[];
  /** Whether the simulation starts its history here (then the configured arrivals take over at startMs). */
  fresh: boolean;
  /** What happened, for the log. */
  note: string;
  /** A first start: the demo dataset to load before the simulation may write (its rows continue it). */
  demo?: DemoDataset;
}

export interface DemoDataset {
  /** The loader's estimate (errs high), for progress. */
  estimatedRows: number;
  /** Subscribes to the generation's progress (0–1 of its orders), which runs from the plan on. */
  onGenerated: (report: (share: number) => void) => void;
  /** Loads it (one transaction); resolves with a line for the log. */
  load: (onLoaded: (entity: string, loaded: number) => void, signal?: AbortSignal) => Promise<string>;
}

/**
 * The demo dataset of a simulation starting at `startMs`: the configured days of the scenario
 * up to that instant (from the local midnight that many days back), the same days the
 * simulation replays. Its rows need no database: they are made while the server gets ready (a
 * worker thread drafts them), and the load, once the server listens, only copies them.
 */
function planDemo(config: ServerConfig, scenario: ScenarioProfile, marketId: string, startMs: number) {
  const offset = getMarket(marketId).utcOffsetMinutes;
  const epochMs = localMidnight(localDate(startMs - config.store.demoDays * DAY_MS, offset), offset);
  const request: StoreGenerationRequest = {
    scenario,
    marketId,
    options: GenerateOptions.parse({ from: localDate(epochMs, offset), to: localDate(startMs, offset), seed: config.simulation.seed, workers: 1 }),
    // Copied from memory, a larger batch loads sooner (fewer statements) and still gives four steps of progress on a 30-day dataset.
    batchSize: 5000,
    // No orders: whatever rows are left (customers and products after a cleanup) make way for the demo dataset.
    replace: true,
    asOfMs: startMs,
  };
  return { epochMs, request };
}

/** A demo dataset being made: what planLive hands on, and what it adopts when it was started before the store was open. */
export interface DemoStart {
  /** The instant the dataset ends and the simulation starts publishing. */
  startMs: number;
  epochMs: number;
  request: StoreGenerationRequest;
  estimatedRows: number;
  generated: Promise<GeneratedRun>;
  /** Subscribes to the generation's share made so far (told at once, then as it grows). */
  onGenerated: (report: (share: number) => void) => void;
  /** Stops making it: not wanted after all (the store holds data, or refuses the writes). */
  cancel: () => void;
}

function prepareDemo(config: ServerConfig, scenario: ScenarioProfile, marketId: string, startMs: number) {
  const { epochMs, request } = planDemo(config, scenario, marketId, startMs);
  return { startMs, epochMs, request, estimatedRows: estimateRecords(scenario, marketId, request.options) };
}

/** Starts making a prepared demo dataset; `signal` (the server stopping) stops it too. */
function makeDemo(prepared: ReturnType<typeof prepareDemo>, signal?: AbortSignal): DemoStart {
  const stop = new AbortController();
  if (signal?.aborted) stop.abort(signal.reason);
  else signal?.addEventListener('abort', () => stop.abort(signal.reason), { once: true });
  // Whoever reports progress (onGenerated) subscribes later, and learns the share so far at once.
  let generatedShare = 0;
  let reportGenerated: (share: number) => void = () => undefined;
  // Stopped before it began (the server closing): not even its world is built.
  const generated = stop.signal.aborted ? Promise.reject<GeneratedRun>(stop.signal.reason) : generateAhead(prepared.request, {
    signal: stop.signal,
    // Below 1 until it is made: the share reaches 1 only when the run ends (below).
    onProgress: (p) => {
      if (p.ordersPlanned > 0) reportGenerated((generatedShare = Math.min(0.99, p.orders / p.ordersPlanned)));
    },
  });
  generated.then(
    () => reportGenerated((generatedShare = 1)),
    () => undefined, // reported by the load, or never wanted (the server stopped first, or the plan did not adopt it)
  );
  return {
    ...prepared,
    generated,
    onGenerated: (report) => {
      reportGenerated = report;
      report(generatedShare);
    },
    cancel: () => stop.abort(new Error('the demo dataset is not wanted')),
  };
}

/**
 * A first start's demo dataset, made from the moment the server starts instead of once the
 * database is open (about two seconds later on the embedded one): its rows need no database.
 * For a store known to be new (null otherwise), and only where the guard's rules that need no
 * database allow it (not in production, not disabled by MOCK_DATA_ENABLED, within the record
 * limit: a demo over it is not made at all). planLive adopts it, or stops it.
 */
export function demoAhead(config: ServerConfig, guard: GuardSettings, scenario: ScenarioProfile, marketId: string, signal?: AbortSignal): DemoStart | null {
  if (!config.store.seedDemo) return null;
  const prepared = prepareDemo(config, scenario, marketId, config.simulation.startMs ?? Date.now());
  return allowedWithoutStore(guard, prepared.estimatedRows) ? makeDemo(prepared, signal) : null;
}

/** Decides where the simulation starts (with the demo dataset to load first if the store is empty); refused when writes are. */
export async function planLive(
  store: Store,
  guard: GuardSettings,
  config: ServerConfig,
  scenario: ScenarioProfile,
  marketId: string,
  /** Stops making the demo dataset (the server is stopping). */
  signal?: AbortSignal,
  /** The demo dataset, already being made (demoAhead): adopted if one is wanted, stopped if not. */
  ahead: DemoStart | null = null,
): Promise<LivePlan | { refused: string }> {
  const plan = await decideLive(store, guard, config, scenario, marketId, signal, ahead).catch((err: unknown) => {
    ahead?.cancel();
    throw err;
  });
  if (ahead && !('demo' in plan && plan.demo)) ahead.cancel();
  return plan;
}

async function decideLive(
  store: Store,
  guard: GuardSettings,
  config: ServerConfig,
  scenario: ScenarioProfile,
  marketId: string,
  signal: AbortSignal | undefined,
  ahead: DemoStart | null,
): Promise<LivePlan | { refused: string }> {
  try {
    await checkWrite(store, guard, { schema: MOCK_SCHEMA, records: 0 });
  } catch (err) {
    return { refused: (err as Error).message };
  }
  const sim = config.simulation;
  const saved = await readLiveState(store);
  const present = (await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableOf('orders')}`)).rows[0].n;
  // Resume only onto the data it left: after a cleanup or a new dataset, start afresh.
  // (A job or cleanup that replaces the data forgets the state: store-generation.ts.)
  if (saved && saved.version === 2 && present > 0 && saved.seed === sim.seed && saved.scenario === scenario.name && saved.market === marketId) {
    return {
      epochMs: saved.epochMs,
      startMs: resumeStartMs(saved.simulatedMs),
      firstOrderIndex: saved.firstOrderIndex,
      changes: saved.changes as unknown as SimulationChange[],
      fresh: false,
      note: `resuming the simulation at ${iso(saved.simulatedMs)} (order #${saved.nextOrderIndex.toLocaleString('en-US')}), replayed from ${iso(saved.epochMs)}`,
    };
  }
  if (present === 0 && config.store.seedDemo) {
    const prepared = ahead ?? prepareDemo(config, scenario, marketId, sim.startMs ?? Date.now());
    // The record limit before anything is made, as for any job (a demo over it is not made at all).
    try {
      await checkWrite(store, guard, { schema: MOCK_SCHEMA, records: prepared.estimatedRows });
    } catch (err) {
      return { refused: (err as Error).message };
    }
    const demo = ahead ?? makeDemo(prepared, signal);
    const days = config.store.demoDays;
    return {
      epochMs: demo.epochMs,
      startMs: demo.startMs,
      firstOrderIndex: 0,
      changes: [],
      fresh: true,
      note: `loading a demo dataset: ${demoDaysBeforeNow(days)}`,
      demo: {
        estimatedRows: demo.estimatedRows,
        onGenerated: demo.onGenerated,
        load: async (onLoaded, loadSignal) => {
          const result = await loadGenerated(store, guard, demo.request, await demo.generated, demo.estimatedRows, { onLoaded, signal: loadSignal });
          return `loaded a demo dataset: ${result.records.toLocaleString('en-US')} rows, ${demoDaysBeforeNow(days)}`;
        },
      },
    };
  }
  const startMs = sim.startMs ?? Date.now();
  // Another dataset is there (or none, and no demo wanted): the simulation numbers its orders after the ones present.
  const { rows } = await store.query<{ order_id: string }>(`SELECT order_id FROM ${tableOf('orders')}`);
  const firstOrderIndex = rows.reduce((max, r) => Math.max(max, orderIndexOf(r.order_id) < 90_000_000 ? orderIndexOf(r.order_id) + 1 : 0), 0);
  return {
    epochMs: startMs,
    startMs,
    firstOrderIndex,
    changes: [],
    fresh: true,
    note: `the simulation writes through to the store (${present.toLocaleString('en-US')} orders there already)`,
  };
}

/** Where an order must stand for the simulation's next change of it to apply. */
const PREVIOUS: Partial<Record<OrderStatus, readonly OrderStatus[]>> = {
  confirmed: ['pending'],
  processing: ['confirmed'],
  shipped: ['processing'],
  delivered: ['shipped'],
  failed: ['shipped'],
  cancelled: ['pending', 'confirmed', 'processing'],
};

/**
 * The dimension rows the simulation's orders refer to (its world's users, companies,
 * customers, products …), inserted where missing: after a cleanup, or when the store holds
 * another dataset, the simulation's orders still find every row they point at. `level` is the
 * stock a missing product starts at: the one the movements still to be written start from.
 */
export async function ensureDimensions(store: Store, sim: LiveSimulation, stillOurs: () => boolean = () => true, level: ArrayLike<number> = sim.ledger.level): Promise<void> {
  const dims = sim.world.dims;
  await store.transaction(async (tx) => {
    await lockChangeFeed(tx);
    if (!stillOurs()) return; // checked under the lock: a job that replaced the data has committed by now
    for (const entity of DIMENSION_ENTITIES) {
      const rows = (entity === 'products' ? dims.products.map((p, i) => ({ ...p, stock_quantity: level[i] })) : dims[entity]) as never[];
      for (let i = 0; i < rows.length; i += 500) await insertRecords(tx, entity, rows.slice(i, i + 500), 'skip');
    }
  });
}

/** Backlog of events waiting for the store beyond which the simulation holds its clock (and below which it goes on). */
const BACKLOG_HOLD = 20_000;
const BACKLOG_RELEASE = 5_000;

export interface LivePersistence {
  writer: LiveWriter<EventInput>;
  /** The simulation's events: their rows and themselves into the next transaction; published after it commits. */
  onEvents: (events: LiveEvent[]) => void;
  onMovement: (m: Movement) => void;
  /** The clock to hold while the store is away or behind. */
  attach: (clock: LiveClock) => void;
  /**
   * Another dataset took the store's place (a replacing job): the simulation's orders and
   * stock belong to the data it started on, so from now on it streams without writing
   * (its order numbers would collide with the new rows). A restart simulates on top of the new data.
   */
  detach: (reason: string) => void;
  /** Why the simulation no longer writes to the store, or null while it does. */
  readonly detached: string | null;
}

/** Wires a simulation's events and movements into a LiveWriter, and its commits into the hub. */
export function persistLive(
  sim: LiveSimulation,
  store: Store,
  hub: EventHub,
  guard: GuardSettings,
  state: Pick<LiveState, 'epochMs' | 'firstOrderIndex' | 'seed' | 'scenario' | 'market'>,
  log: (message: string) => void,
): LivePersistence {
  let lastError = '';
  let detached: string | null = null;
  let checked = { at: 0, ok: true };
  let clock: LiveClock | null = null;
  let downSince: number | null = null;
  const namespace = eventNamespace(sim.world.config.seed);
  const writer: LiveWriter<EventInput> = new LiveWriter<EventInput>(store, 5, {
    onError: (err, willRetry) => {
      // Once per kind of failure, not once per flush.
      if (err.message !== lastError) log(`live simulation: a write to the store failed${willRetry ? ', retrying' : ' and was dropped'}: ${err.message}`);
      lastError = err.message;
    },
    // The safety guard holds for every write, not just at start: a toggle switched off stops them within 2 s.
    allowed: async () => {
      if (detached) return false;
      if (Date.now() - checked.at > 2000) {
        // A refusal is a RuleViolation-like error with a rule; anything else (the store unreachable) is thrown on: an outage, not a refusal.
        const ok = await checkWrite(store, guard, { schema: MOCK_SCHEMA, records: 0 }).then(
          () => true,
          (err: unknown) => {
            if (err instanceof WriteRefused) return false;
            throw err;
          },
        );
        if (ok !== checked.ok) log(ok ? 'live simulation: writing to the store again' : 'live simulation: mock data writes are refused now; the simulation goes on without the store');
        checked = { at: Date.now(), ok };
      }
      return checked.ok;
    },
    writable: () => detached === null,
    repair: () => ensureDimensions(store, sim),
    committed: (events) => {
      for (const e of events) hub.publish(e.outboxId === null ? e.payload : ({ ...e.payload, outboxId: e.outboxId } as EventInput));
      if (writer.backlog < BACKLOG_RELEASE) clock?.release('backlog');
    },
    // The store is away: the simulation holds its clock (nothing happens that could not be stored) and says so.
    outage: (down, reason) => {
      const now = new Date().toISOString();
      if (down) {
        downSince = Date.now();
        clock?.hold('store', `the store is unreachable: ${reason}`);
        hub.publish({ event_type: 'stream.degraded', data: { component: 'store', reason: `the store is unreachable: ${reason}`, since: now } });
        log(`live simulation: the store is unreachable; the simulation holds until it is back (${reason})`);
      } else {
        clock?.release('store');
        hub.publish({ event_type: 'stream.recovered', data: { component: 'store', since: now, held_ms: Date.now() - (downSince ?? Date.now()) } });
        log('live simulation: the store is back; the simulation goes on');
      }
    },
  });
  const onEvents = (events: LiveEvent[]) => {
    for (const e of events) {
      if (e.type === 'order.created' && e.plan) {
        const plan = e.plan;
        const at = iso(e.t);
        const tl = plan.timeline;
        writer.placed(
          orderRecordOf(sim.world, plan.draft, {
            status: 'pending',
            history: [{ status: 'pending', at }],
            expectedMs: tl.expectedMs,
            deliveredAt: null,
            trackingNumber: null,
            cancellationReason: null,
            updatedAt: at,
          }),
          orderItemRecordsOf(plan.draft, 'pending', 0),
        );
      } else if (e.type === 'order.updated' || e.type === 'order.cancelled' || e.type === 'order.delivered') {
        const status = e.data.status;
        writer.statusChanged(e.data.order_id, PREVIOUS[status] ?? [], status, iso(e.t), {
          reason: e.type === 'order.cancelled' ? e.data.reason : null,
          trackingNumber: status === 'shipped' ? (e.plan?.timeline.tracking ?? null) : null,
          deliveredAt: e.type === 'order.delivered' ? e.data.delivery_date : null,
        });
      }
      const said = engineRecordOf(e);
      if (said) writer.recorded(said.entity, said.row as never);
      const { input, json } = envelopeOf(namespace, e);
      writer.told(input as EventInput, json);
    }
    writer.progressed({ version: 2, ...state, simulatedMs: resumePoint(sim), nextOrderIndex: sim.nextOrderIndex, changes: sim.changes });
    // The store cannot keep up: hold the clock rather than let the backlog grow without bound.
    if (writer.backlog > BACKLOG_HOLD) clock?.hold('backlog', `the store is ${writer.backlog.toLocaleString('en-US')} events behind`);
  };
  // Wired up once the simulation has caught up: what it replayed is in the store already.
  // A change made through the API is in the store already: only its movement row is new.
  const onMovement = (m: Movement) => writer.moved(renderMovementRecord(sim.world, m), !m.external);
  return {
    writer,
    onEvents,
    onMovement,
    attach: (c) => (clock = c),
    detach: (reason) => {
      if (detached) return;
      detached = reason;
      log(`live simulation: ${reason}`);
      hub.publish({ event_type: 'stream.degraded', data: { component: 'store', reason, since: new Date().toISOString() } });
    },
    get detached() {
      return detached;
    },
  };
}
