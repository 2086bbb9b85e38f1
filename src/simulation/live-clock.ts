/**
 * Paces a LiveSimulation to the wall clock: simulated time = anchor + elapsed × speed.
 * It sleeps until the next action is due (never more than a tick, so speed and pause
 * changes take effect at once) and hands each batch of due events to the listener.
 * With `untilMs` it stops exactly there, so a run of fixed length is reproducible
 * whatever the machine's timer jitter.
 */
import type { LiveSettings, SimulationPatch } from '../domain/live.js';
import type { LiveEvent, LiveSimulation } from './live.js';

/** Most simulation actions per tick: a tick never blocks the event loop for long, whatever the speed. */
const ACTIONS_PER_TICK = 5000;

export interface LiveClockOptions {
  onEvents: (events: LiveEvent[]) => void;
  /** Simulated instant to stop at (exclusive of nothing: every action due at or before it runs). */
  untilMs?: number;
  /** Longest sleep between checks, in wall milliseconds. */
  maxSleepMs?: number;
  now?: () => number;
}

export class LiveClock {
  private wallAnchor = 0;
  private simAnchor: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private finished!: Promise<void>;
  private finish!: () => void;
  private readonly wallNow: () => number;

  constructor(
    readonly sim: LiveSimulation,
    private readonly options: LiveClockOptions,
  ) {
    this.wallNow = options.now ?? (() => performance.timeOrigin + performance.now());
    this.simAnchor = sim.now;
  }

  /**
   * Starts pacing; the promise resolves when `untilMs` is reached or `stop()` is called.
   * `nowMs`: the simulated instant it is at this moment, when the simulation takes its time from
   * the clock and getting ready took a while: it catches up at once rather than lag behind forever.
   */
  start(nowMs?: number): Promise<void> {
    this.finished = new Promise((resolve) => (this.finish = resolve));
    this.running = true;
    this.wallAnchor = this.wallNow();
    this.simAnchor = Math.max(this.sim.now, nowMs ?? Number.NEGATIVE_INFINITY);
    this.tick();
    return this.finished;
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.finish();
  }

  /** Simulated now as the wall clock says (frozen while paused or held). */
  simNow(): number {
    const s = this.sim.pacing;
    return s.paused || this.holds.size ? this.simAnchor : this.simAnchor + (this.wallNow() - this.wallAnchor) * s.speed;
  }

  /** Why the clock is held (something the simulation's output depends on is down or behind), if it is. */
  get held(): string[] {
    return [...this.holds.values()];
  }

  /**
   * Holds simulated time where it is, for a reason (the store is away, the store is behind),
   * until every hold is released; then it goes on from there. Unlike a pause, a user's
   * setting, holds come and go by themselves.
   */
  hold(key: string, reason: string): void {
    if (this.holds.has(key)) return;
    if (!this.holds.size) this.simAnchor = Math.max(this.sim.now, this.simNow());
    this.holds.set(key, reason);
  }

  release(key: string): void {
    if (!this.holds.delete(key) || this.holds.size) return;
    this.wallAnchor = this.wallNow();
    if (this.running && !this.timer) this.tick();
  }
  private readonly holds = new Map<string, string>();

  /**
   * Runs `change` on the simulation at the current simulated moment (the clock catches up
   * first), and delivers what it caused: how things from outside (the API) enter it.
   */
  act<T>(change: (sim: LiveSimulation) => T): T {
    if (this.running) {
      const events = this.sim.advanceTo(Math.min(this.simNow(), this.options.untilMs ?? Number.POSITIVE_INFINITY), ACTIONS_PER_TICK);
      if (events.length) this.options.onEvents(events);
    }
    const result = change(this.sim);
    const caused = this.sim.advanceTo(this.sim.now);
    if (caused.length) this.options.onEvents(caused);
    return result;
  }

  update(patch: SimulationPatch): LiveSettings {
    // Catch up to now first, so the change applies from this moment and not from the last tick.
    if (this.running) {
      const events = this.sim.advanceTo(Math.min(this.simNow(), this.options.untilMs ?? Number.POSITIVE_INFINITY), ACTIONS_PER_TICK);
      if (events.length) this.options.onEvents(events);
    }
    // Re-anchor so time already elapsed keeps the old speed.
    this.simAnchor = Math.max(this.sim.now, this.simNow());
    this.wallAnchor = this.wallNow();
    const settings = this.sim.update(patch);
    if (this.running) {
      if (this.timer) clearTimeout(this.timer);
      this.tick();
    }
    return settings;
  }

  private tick = (): void => {
    this.timer = null;
    if (!this.running) return;
    const until = this.options.untilMs ?? Number.POSITIVE_INFINITY;
    const target = Math.min(this.simNow(), until);
    const events = this.sim.advanceTo(target, ACTIONS_PER_TICK);
    if (events.length) this.options.onEvents(events);
    if (this.sim.now < target) {
      // More work is due than one tick may do: yield to the server (requests, sockets), and if
      // the simulation has fallen more than a second of wall time behind, let it run slower
      // than asked rather than chase a target it cannot reach.
      const behindMs = (target - this.sim.now) / this.sim.pacing.speed;
      if (behindMs > 1000 && this.options.untilMs === undefined) {
        this.simAnchor = this.sim.now;
        this.wallAnchor = this.wallNow();
      }
      this.timer = setTimeout(this.tick, 0);
      return;
    }
    if (target >= until) return this.stop();
    const settings = this.sim.pacing;
    const maxSleep = this.options.maxSleepMs ?? 100;
    const dueIn = settings.paused || this.holds.size ? maxSleep : (Math.min(this.sim.nextDue(), until) - this.simNow()) / settings.speed;
    this.timer = setTimeout(this.tick, Math.max(1, Math.min(maxSleep, dueIn)));
  };
}
