/**
 * A batch run's worker thread: builds the run's World once (from the seed, never from the
 * engine thread's objects), drafts the days it is given and writes them once the engine has
 * settled their stock. Results move to the engine's thread without copying.
 */
import { parentPort } from 'node:worker_threads';
import type { DayPlan } from '../simulation/arrivals.js';
import type { SimulationConfig } from '../simulation/world.js';
import { DayWork, type DayTaskOptions } from './day-task.js';
import { draftedDayBuffers, type DayToWrite } from './day-summary.js';

export type WorkerMessage =
  | { id: number; kind: 'init'; config: SimulationConfig }
  | { id: number; kind: 'draft'; config: SimulationConfig; plan: DayPlan }
  | { id: number; kind: 'write'; config: SimulationConfig; plan: DayPlan; task: DayToWrite; options: DayTaskOptions; recycled?: ArrayBuffer[] };

let cached: { key: string; work: DayWork } | null = null;

function workFor(config: SimulationConfig): DayWork {
  const key = JSON.stringify(config);
  if (!cached || cached.key !== key) cached = { key, work: new DayWork(config) };
  return cached.work;
}

parentPort!.on('message', (msg: WorkerMessage) => {
  try {
    const work = workFor(msg.config);
    if (msg.kind === 'init') return parentPort!.postMessage({ id: msg.id, ok: true, value: null });
    if (msg.kind === 'draft') {
      const drafted = work.draft(msg.plan);
      return parentPort!.postMessage({ id: msg.id, ok: true, value: drafted }, draftedDayBuffers(drafted));
    }
    if (msg.recycled) work.recycle(msg.recycled);
    const result = work.write(msg.plan, msg.task, msg.options);
    parentPort!.postMessage({ id: msg.id, ok: true, value: result }, [result.bytes.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, ok: false, error: (err as Error).message, stack: (err as Error).stack });
  }
});
