/**
 * The live simulation backed by the store. On a first start the store is seeded with a
 * demo dataset (the simulation's own scenario, market and seed, over the 30 days before
 * today), so the shop opens with customers, stocked products and history. The simulation
 * then writes through (store/live-writer.ts), and a restart resumes from the simulated
 * time, order numbering and shelf levels it had reached.
 */
import type { OrderStatus } from '../domain/entities.js';
import type { ServerConfig } from '../domain/server-config.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { GenerateOptions } from '../domain/config.js';
import { generateIntoStore } from '../jobs/store-generation.js';
import type { LiveEvent, LiveResume, LiveSimulation } from '../simulation/live.js';
import { DAY_MS, iso } from '../simulation/time.js';
import { checkWrite, type GuardSettings } from '../store/guard.js';
import { LiveWriter, readLiveState, writeLiveState, type LiveState } from '../store/live-writer.js';
import { MOCK_SCHEMA, tableOf } from '../store/schema.js';
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
  if (saved && saved.seed === sim.seed && saved.scenario === scenario.name && saved.market === marketId) {
    const { rows } = await store.query<{ product_id: string; stock_quantity: number }>(`SELECT product_id, stock_quantity FROM ${tableOf('products')}`);
    return {
      startMs: saved.simulatedMs,
      resume: { firstOrderIndex: saved.nextOrderIndex, stock: new Map(rows.map((r) => [r.product_id, r.stock_quantity])) },
      note: `resuming the simulation at ${iso(saved.simulatedMs)} (order #${saved.nextOrderIndex.toLocaleString('en-US')})`,
    };
  }
  const startMs = sim.startMs ?? Date.now();
  let orders = (await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableOf('orders')}`)).rows[0].n;
  let note = `the simulation writes through to the store (${orders.toLocaleString('en-US')} orders there already)`;
  if (orders === 0 && config.store.seedDemo) {
    const result = await generateIntoStore(store, guard, {
      scenario,
      marketId,
      options: GenerateOptions.parse({ from: isoDate(startMs - DEMO_DAYS * DAY_MS), to: isoDate(startMs - DAY_MS), seed: sim.seed, workers: 1 }),
      batchSize: 1000,
      replace: false,
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

/** Wires a simulation's events and new orders into a LiveWriter. */
export function persistLive(sim: LiveSimulation, store: Store, scenario: string, market: string, log: (message: string) => void): { writer: LiveWriter; onEvents: (events: LiveEvent[]) => void } {
  let lastError = '';
  const writer = new LiveWriter(store, 250, (err) => {
    // Once per kind of failure, not once per flush.
    if (err.message !== lastError) log(`live simulation: a write to the store failed and was dropped: ${err.message}`);
    lastError = err.message;
  });
  sim.onPlaced = (order, items) => writer.placed(order, items);
  const onEvents = (events: LiveEvent[]) => {
    for (const e of events) {
      const d = e.data;
      if (e.type === 'order.updated' || e.type === 'order.cancelled') {
        writer.statusChanged(String(d.order_id), d.status as OrderStatus, iso(e.t), (d.reason as string | undefined) ?? null);
      } else if (e.type === 'stock.updated') writer.stockChanged(String(d.product_id), Number(d.current_stock));
    }
    writer.progressed({ simulatedMs: Math.floor(sim.now), nextOrderIndex: sim.nextOrderIndex, seed: sim.world.config.seed, scenario, market });
  };
  return { writer, onEvents };
}
