/**
 * A batch run in a thread of its own, for library callers and big CLI runs: `generate()` allocates
 * heavily, and a thread can be given a young generation of its own size (the main thread's is
 * fixed when Node starts): a year of normal-ops × 20 drafted and written in one thread took
 * 6.1 s with a 64 MB semi-space against 8.3–9.1 s with the default 16 MB (2026-11-30,
 * BENCHMARKS.md). The calling thread stays free meanwhile: progress is drawn and Ctrl-C is
 * heard at once (the run stops at its next day). The output is the same as `generate()` run here.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Interrupted, UsageError } from '../domain/errors.js';
import type { ValidationReport } from '../simulation/validate.js';
import { dayCount, generate, ValidationFailed, type GenerateHooks, type GenerateProgress, type GenerateRequest, type GenerateResult } from './generate.js';

/** What the run's thread says: progress, then its result or its error. */
export type FromRunThread =
  | { kind: 'progress'; progress: GenerateProgress }
  | { kind: 'done'; result: GenerateResult }
  | { kind: 'failed'; error: ThrownError };

/** The calling thread's one message: stop (an abort, with its reason). */
export interface ToRunThread {
  kind: 'abort';
  reason: ThrownError;
}

/** An error as it crosses threads: enough to throw the same kind again on the other side. */
export interface ThrownError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  report?: ValidationReport;
}

export function describeThrown(err: unknown): ThrownError {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message, stack: e.stack, code: (e as NodeJS.ErrnoException).code, report: (e as Partial<ValidationFailed>).report };
}

export function rethrown(t: ThrownError): Error {
  const err = t.name === 'UsageError' ? new UsageError(t.message) : t.name === 'Interrupted' ? new Interrupted(t.message) : t.name === 'ValidationFailed' && t.report ? new ValidationFailed(t.report) : Object.assign(new Error(t.message), { name: t.name });
  if (t.stack) err.stack = t.stack;
  if (t.code) Object.assign(err, { code: t.code });
  return err;
}

const compiled = new URL('./generate-worker.js', import.meta.url);
// Under vitest this module runs from src/ as TypeScript, which threads cannot load: they take the compiled one.
const RUN_FILE = existsSync(compiled) ? fileURLToPath(compiled) : fileURLToPath(new URL('../../dist/src/batch/generate-worker.js', import.meta.url));

/**
 * How long a run's thread may take to end once it has said how the run went (it has let go of
 * its files and day workers by then): past it, it is stopped.
 */
const EXIT_GRACE_MS = 5_000;

/** `generate(req)` in a thread of its own (not with a `sink`: a sink lives in the calling thread). */
export function generateInThread(req: Omit<GenerateRequest, 'sink'>, hooks: Pick<GenerateHooks, 'onProgress' | 'signal'> = {}): Promise<GenerateResult> {
  const { signal, onProgress } = hooks;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<GenerateResult>((resolve, reject) => {
    // 192 MB young generation: a 64 MB semi-space, as the day workers get.
    const thread = new Worker(RUN_FILE, { workerData: req, resourceLimits: { maxYoungGenerationSizeMb: 192 } });
    /** Why the run was stopped from this side: the caller's signal, or its progress callback throwing. */
    let stoppedFor: { reason: unknown; byCallback: boolean } | null = null;
    const stop = (reason: unknown, byCallback: boolean) => {
      // The first reason wins, as in generate() run in this thread (an abort's reason over a later failure).
      stoppedFor ??= { reason, byCallback };
      thread.postMessage({ kind: 'abort', reason: describeThrown(reason) } satisfies ToRunThread);
    };
    const onAbort = () => stop(signal!.reason, false);
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    // The run's outcome is taken once the thread has ended by itself, i.e. once the run has
    // let go of everything it opened (files, day workers).
    let outcome: (() => void) | null = null;
    thread.on('message', (msg: FromRunThread) => {
      if (msg.kind === 'progress') {
        try {
          onProgress?.(msg.progress);
        } catch (err) {
          stop(err, true);
        }
        return;
      }
      // A run that finished before it heard of an abort has written its output: it is reported
      // as done, unless the caller's own callback failed (its error is not to be lost).
      if (msg.kind === 'done' && !stoppedFor?.byCallback) outcome = () => resolve(msg.result);
      else if (msg.kind === 'done' || stoppedFor) outcome = () => reject(stoppedFor!.reason);
      else outcome = () => reject(rethrown(msg.error));
      grace = setTimeout(() => void thread.terminate(), EXIT_GRACE_MS).unref();
    });
    // An outcome already told wins over what the thread's end brings (a failure in letting go, say).
    thread.on('error', (err) => settle(outcome ?? (() => reject(err))));
    thread.on('exit', (code) => settle(outcome ?? (() => reject(new Error(`the generation thread stopped (exit code ${code}) before it finished`)))));
  });
}

/**
 * A run stays in the calling thread when it is small: a thread of its own costs time to start
 * and to load the code again, which its young generation repays only on big runs. Measured on
 * 2 cores, one thread (2026-11-30, BENCHMARKS.md): normal-ops a quarter × 1 took 0.59–0.63 s
 * here against 0.76–0.78 s in its own thread, a year × 1 0.96–1.07 s against 1.36–1.40 s, a
 * year × 3 1.83–1.96 s against 2.00–2.19 s; a year × 10 4.8–5.1 s against 4.0–4.3 s. Big days
 * and big tables (a multiplier over 5: a quarter × 20 took 3.3–3.6 s here against 2.4 s) and
 * busy scenarios (peak-season a year × 5: 8.5 s against 5.0–5.2 s) need the thread sooner.
 * Small means the multiplier is at most 5 and the orders arriving (before growth) are at most
 * those of normal-ops over a year × 4.
 */
const SMALL_MULTIPLIER = 5;
const SMALL_RUN_ORDERS = 50 * 366 * 4;

export function isSmallRun(req: Pick<GenerateRequest, 'options' | 'scenario'>): boolean {
  const { options, scenario } = req;
  const orders = dayCount(options) * options.multiplier * scenario.entityVolumes.ordersPerDay * scenario.volume.orderFactor;
  return options.multiplier <= SMALL_MULTIPLIER && orders <= SMALL_RUN_ORDERS;
}

/** `generate(req)` in a thread of its own, or in this one when the run is small (isSmallRun). */
export function generateAnywhere(req: Omit<GenerateRequest, 'sink'>, hooks: Pick<GenerateHooks, 'onProgress' | 'signal'> = {}): Promise<GenerateResult> {
  return isSmallRun(req) ? generate(req, hooks) : generateInThread(req, hooks);
}
