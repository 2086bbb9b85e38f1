/**
 * Worker threads that keep what they drafted: a day's order plans stay in the thread that
 * drafted them until the same thread writes the day, so they are never sent back and forth.
 * Written on worker_threads directly because a generic pool (piscina, used here before)
 * hands a task to whichever thread is free and cannot send it to a chosen one.
 */
import { Worker } from 'node:worker_threads';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
  pending: Map<number, Pending>;
}

export class AffinityPool {
  private readonly slots: Slot[];
  private nextId = 0;
  private failed: Error | null = null;

  constructor(file: string, size: number, resourceLimits?: { maxYoungGenerationSizeMb?: number }) {
    const started: Worker[] = [];
    const start = () => {
      try {
        const worker = new Worker(file, { resourceLimits });
        started.push(worker);
        return worker;
      } catch (err) {
        // A thread that cannot start (a process limit, say): the ones already started would keep
        // the process alive. Their listeners go first: their exit is no failure of a pool that never was.
        for (const w of started) {
          w.removeAllListeners();
          w.on('error', () => undefined); // its exit can still report one, with no one left to hear it
          void w.terminate();
        }
        throw err;
      }
    };
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: start(), busy: 0, pending: new Map() };
      slot.worker.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: string; stack?: string }) => {
        const p = slot.pending.get(msg.id);
        if (!p) return;
        slot.pending.delete(msg.id);
        slot.busy--;
        if (msg.ok) p.resolve(msg.value);
        else p.reject(Object.assign(new Error(msg.error), { stack: msg.stack }));
      });
      slot.worker.on('error', (err) => this.fail(err));
      slot.worker.on('exit', (code) => code !== 0 && this.fail(new Error(`a worker thread exited with code ${code}`)));
      return slot;
    });
  }

  get size(): number {
    return this.slots.length;
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const slot of this.slots) {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    }
  }

  /** Tasks sent to a thread that it has not answered yet. */
  queued(slotIndex: number): number {
    return this.slots[slotIndex].busy;
  }

  /** The least busy thread. */
  idlest(): number {
    let best = 0;
    for (let i = 1; i < this.slots.length; i++) if (this.slots[i].busy < this.slots[best].busy) best = i;
    return best;
  }

  run<T>(slotIndex: number, message: object, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const slot = this.slots[slotIndex];
    const id = this.nextId++;
    slot.busy++;
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      slot.worker.postMessage({ id, ...message }, transfer);
    });
  }

  async destroy(): Promise<void> {
    this.fail(new Error('the worker pool was shut down'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
