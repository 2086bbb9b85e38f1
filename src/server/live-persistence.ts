/**
 * The live simulation backed by the store. On a first start the store is seeded with a
 * demo dataset (the simulation's own scenario, market and seed, over the 30 days before
 * today), so the shop opens with customers, stocked products and history. The simulation
 * then writes through (store/live-writer.ts), and a restart resumes from the simulated
 * time, order numbering and shelf levels it had reached.
 */
import { DIMENSION_ENTITIES, type OrderStatus } from '../domain/entities.js';
import type { ServerConfig } from '../domain/server-config.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { GenerateOptions } from '../domain/config.js';
import { generateIntoStore } from '../jobs/store-generation.js';
import type { LiveEvent, LiveResume, LiveSimulation } from '../simulation/live.js';
import { DAY_MS, iso } from '../simulation/time.js';
import { checkWrite, type GuardSettings } from '../store/guard.js';
import { LiveWriter, readLiveState, writeLiveState, type LiveState } from '../store/live-writer.js';
import { MOCK_SCHEMA, tableOf } from '../store/schema.js';
import { lockChangeFeed } from '../store/queries/locks.js';
import { insertRecords } from '../store/queries/records.js';
import type { Store } from '../store/store.js';

export const DEMO_DAYS = 30;

export interface LivePlan {
  startMs: number;
  resume: LiveResume;
  /** What happened, for the log. */
  note: string;
}

const isoDate = (ms: number) => iso(ms).slice(0, 10);

/** Decides where the simulation starts, seeding the demo dataset first if the store is empty; null when writes are refused. */
export async function planLive(store: Store, guard: GuardSettings, config: ServerConfig, scenario: ScenarioProfile, marketId: string): Promise<LivePlan | { refused: string }> {
  try {
    await checkWrite(store, guard, { schema: MOCK_SCHEMA, records: 0 });
  } catch (err) {
    return { refused: (err as Error).message };
  }
  const sim = config.simulation;
  const saved = await readLiveState(store);
  const present = (await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableOf('orders')}`)).rows[0].n;
  // Resume only onto the data it left: after a cleanup or a new dataset, start afresh.
  if (saved && present > 0 && saved.nextOrderIndex >= present && saved.seed === sim.seed && saved.scenario === scenario.name && saved.market === marketId) {
    const { rows } = await store.query<{ product_id: string; stock_quantity: number }>(`SELECT product_id, stock_quantity FROM ${tableOf('products')}`);
    return {
      startMs: saved.simulatedMs,
      resume: { firstOrderIndex: saved.nextOrderIndex, stock: new Map(rows.map((r) => [r.product_id, r.stock_quantity])) },
      note: `resuming the simulation at ${iso(saved.simulatedMs)} (order #${saved.nextOrderIndex.toLocaleString('en-US')})`,
    };
  }
  const startMs = sim.startMs ?? Date.now();
  let orders = present;
  let note = `the simulation writes through to the store (${orders.toLocaleString('en-US')} orders there already)`;
  if (orders === 0 && config.store.seedDemo) {
    const result = await generateIntoStore(store, guard, {
      scenario,
      marketId,
      options: GenerateOptions.parse({ from: isoDate(startMs - DEMO_DAYS * DAY_MS), to: isoDate(startMs - DAY_MS), seed: sim.seed, workers: 1 }),
      batchSize: 1000,
      // No orders: whatever rows are left (customers and products after a cleanup) make way for the demo dataset.
      replace: true,
    });
    orders = result.counts.orders;
    note = `seeded a demo dataset: ${result.records.toLocaleString('en-US')} rows, the ${DEMO_DAYS} days before today`;
  }
  // Generated orders hold the global indices below their count; the simulation numbers on from there.
  const state: LiveState = { simulatedMs: startMs, nextOrderIndex: orders, seed: sim.seed, scenario: scenario.name, market: marketId };
  await writeLiveState(store, state);
  const { rows } = await store.query<{ product_id: string; stock_quantity: number }>(`SELECT product_id, stock_quantity FROM ${tableOf('products')}`);
  return { startMs, resume: { firstOrderIndex: orders, stock: new Map(rows.map((r) => [r.product_id, r.stock_quantity])) }, note };
}

/** Where an order must stand for the simulation's next change of it to apply. */
const PREVIOUS: Partial<Record<OrderStatus, readonly OrderStatus[]>> = {
  confirmed: ['pending'],
  processing: ['confirmed'],
  shipped: ['processing'],
  cancelled: ['pending', 'confirmed', 'processing'],
};

/**
 * The dimension rows the simulation's orders refer to (its world's users, companies,
 * customers, products …), inserted where missing: after a cleanup, or when the store holds
 * another dataset, the simulation's orders still find every row they point at.
 */
export async function ensureDimensions(store: Store, sim: LiveSimulation): Promise<void> {
  const dims = sim.world.dims;
  await store.transaction(async (tx) => {
    await lockChangeFeed(tx);
    for (const entity of DIMENSION_ENTITIES) {
      const rows = dims[entity] as never[];
      for (let i = 0; i < rows.length; i += 500) await insertRecords(tx, entity, rows.slice(i, i + 500), 'skip');
    }
  });
}

/** Wires a simulation's events and new orders into a LiveWriter. */
export function persistLive(
  sim: LiveSimulation,
  store: Store,
  guard: GuardSettings,
  names: { scenario: string; market: string },
  log: (message: string) => void,
): { writer: LiveWriter; onEvents: (events: LiveEvent[]) => void } {
  let lastError = '';
  let checked = { at: 0, ok: true };
  const writer = new LiveWriter(store, 250, {
    onError: (err, willRetry) => {
      // Once per kind of failure, not once per flush.
      if (err.message !== lastError) log(`live simulation: a write to the store failed${willRetry ? ', retrying' : ' and was dropped'}: ${err.message}`);
      lastError = err.message;
    },
    // The safety guard holds for every write, not just at start: a toggle switched off stops them within 2 s.
    allowed: async () => {
      if (Date.now() - checked.at > 2000) {
        const ok = await checkWrite(store, guard, { schema: MOCK_SCHEMA, records: 0 }).then(
          () => true,
          () => false,
        );
        if (ok !== checked.ok) log(ok ? 'live simulation: writing to the store again' : 'live simulation: mock data writes are refused now; the simulation goes on without the store');
        checked = { at: Date.now(), ok };
      }
      return checked.ok;
    },
    repair: () => ensureDimensions(store, sim),
  });
  sim.onPlaced = (order, items) => writer.placed(order, items);
  const onEvents = (events: LiveEvent[]) => {
    for (const e of events) {
      const d = e.data;
      if (e.type === 'order.updated' || e.type === 'order.cancelled') {
        const status = d.status as OrderStatus;
        writer.statusChanged(String(d.order_id), PREVIOUS[status] ?? [], status, iso(e.t), (d.reason as string | undefined) ?? null);
      } else if (e.type === 'stock.updated') writer.stockMoved(String(d.product_id), Number(d.current_stock) - Number(d.previous_stock));
    }
    writer.progressed({ simulatedMs: Math.floor(sim.now), nextOrderIndex: sim.nextOrderIndex, seed: sim.world.config.seed, ...names });
  };
  return { writer, onEvents };
}
