/** Progress for long runs: a bar on a terminal, one JSON line per second otherwise (CI logs, pipes). */
import cliProgress from 'cli-progress';
import type { GenerateProgress } from '../batch/generate.js';
import type { JobProgress } from '../domain/jobs.js';

export interface ProgressReporter {
  update(p: GenerateProgress): void;
  stop(): void;
}

const compact = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(n));

/** A bar on a terminal: `read` gives the value, the total and the named fields of `format`. */
function terminalBar<P>(stream: NodeJS.WriteStream, format: string, read: (p: P) => { value: number; total: number; fields: Record<string, string> }): { update(p: P): void; stop(): void } {
  const bar = new cliProgress.SingleBar({ stream, format, barsize: 30, hideCursor: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(p) {
      const { value, total, fields } = read(p);
      if (!started) {
        bar.start(total, value, fields);
        started = true;
      } else bar.update(value, fields);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr, quiet = false): ProgressReporter {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  if (stream.isTTY)
    return terminalBar<GenerateProgress>(stream, '{bar} {percentage}% | {phase} {date} | {records} records | {rate} rec/s | ETA {eta_formatted}', (p) => ({
      value: p.orders,
      total: Math.max(1, p.ordersPlanned),
      fields: { phase: p.phase, date: p.date, records: compact(p.records), rate: compact(p.recordsPerSecond) },
    }));
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 1000 && p.orders < p.ordersPlanned) return;
      last = now;
      const { phase, day, days, date, orders, ordersPlanned, records, recordsPerSecond, etaSeconds } = p;
      const progressPercent = ordersPlanned ? Math.round((orders / ordersPlanned) * 100) : 100;
      stream.write(`${JSON.stringify({ progress: { phase, currentEntity: phase, day, days, date, progressPercent, recordsGenerated: records, throughput: recordsPerSecond, etaSeconds } })}\n`);
    },
    stop: () => undefined,
  };
}

/** Progress of a job on a running server (`generate --no-dry-run --server`): its percent, entity, throughput and ETA. */
export interface JobProgressReporter {
  update(p: JobProgress): void;
  stop(): void;
}

export function jobProgressReporter(stream: NodeJS.WriteStream = process.stderr, quiet = false): JobProgressReporter {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  if (stream.isTTY)
    return terminalBar<JobProgress>(stream, '{bar} {percentage}% | {entity} | {records} records | {rate} rec/s | ETA {eta}', (p) => ({
      value: p.progressPercent,
      total: 100,
      fields: { entity: p.currentEntity ?? 'starting', records: compact(p.recordsTotal), rate: compact(p.throughput), eta: p.etaSeconds === null ? '…' : `${Math.round(p.etaSeconds)}s` },
    }));
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 1000 && p.progressPercent < 100) return;
      last = now;
      stream.write(`${JSON.stringify({ progress: p })}\n`);
    },
    stop: () => undefined,
  };
}
