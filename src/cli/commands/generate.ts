/** `orderstream generate`: spec 002's generator, a dry run unless --out names a directory. */
import { Command, Option } from 'commander';
import { defaultWorkers, type GenerateResult } from '../../batch/generate.js';
import { generateAnywhere } from '../../batch/generate-thread.js';
import { MARKET_IDS, getMarket } from '../../catalog/index.js';
import { GenerateOptions, OUTPUT_FORMATS } from '../../domain/config.js';
import { ENTITY_NAMES } from '../../domain/entities.js';
import { Interrupted, UsageError } from '../../domain/errors.js';
import { resolveScenario } from '../../scenarios/resolve.js';
import { flagError, num } from '../flags.js';
import { jobProgressReporter, progressReporter } from '../progress.js';
import { formatTable } from '../table.js';
import { GenerateJobRequest, JobStarted, JobView } from '../../domain/jobs.js';
import type { ScenarioProfile } from '../../domain/scenario.js';
import { JobManager } from '../../jobs/job-manager.js';
import { callServer, guardFromEnv, withStore } from '../store-access.js';
import { COMMAND_SUMMARIES } from './summaries.js';

const FLAG_OF: Record<string, string> = {
  from: '--from',
  to: '--to',
  seed: '--seed',
  multiplier: '--multiplier',
  workers: '--workers',
  format: '--format',
  maxRecords: '--max-records',
};

interface Flags {
  scenario?: string;
  scenarioFile?: string;
  market?: string;
  from?: string;
  to?: string;
  seed?: string;
  multiplier?: string;
  workers?: string;
  format?: string;
  out?: string;
  events?: boolean;
  maxRecords?: string;
  json?: boolean;
  quiet?: boolean;
  dryRun?: boolean;
  batchSize?: string;
  replace?: boolean;
  server?: string;
}


/** CLI strings → validated GenerateOptions, with errors that name the flag. */
export function parseGenerateFlags(flags: Flags): GenerateOptions {
  const parsed = GenerateOptions.safeParse({
    from: flags.from,
    to: flags.to,
    seed: num(flags.seed),
    multiplier: num(flags.multiplier),
    workers: num(flags.workers) ?? defaultWorkers(),
    format: flags.format,
    events: flags.events ?? false,
    maxRecords: num(flags.maxRecords ?? process.env.ORDERSTREAM_MAX_RECORDS),
  });
  if (parsed.success) return parsed.data;
  throw flagError(parsed.error, flags, FLAG_OF, {
    seed: 'a whole number from 0 to 4294967295',
    multiplier: 'a number greater than 0, at most 10000 (e.g. 0.5, 1, 20)',
    workers: 'a whole number from 1 to 64',
    maxRecords: 'a whole number greater than 0',
    format: OUTPUT_FORMATS.join(', '),
    from: 'a date as YYYY-MM-DD',
    to: 'a date as YYYY-MM-DD',
  }, { maxRecords: 'ORDERSTREAM_MAX_RECORDS' });
}

export function printSummary(result: GenerateResult, dryRun: boolean): string {
  const rows = ENTITY_NAMES.map((e) => [e, result.counts[e].toLocaleString('en-US')]);
  rows.push(['(total)', result.records.toLocaleString('en-US')]);
  const secs = result.elapsedMs / 1000;
  const out = [
    formatTable(['entity', 'records'], rows, ['left', 'right']),
    '',
    `anomalies labelled: ${result.anomalies.toLocaleString('en-US')}${result.events ? `   events: ${result.events.toLocaleString('en-US')}` : ''}`,
    `validation: ${result.validation.foreignKeys.toLocaleString('en-US')} foreign keys and ${result.validation.moneyChecks.toLocaleString('en-US')} money checks, ${result.validation.violations.length} violations`,
    `time: ${secs.toFixed(2)} s, ${Math.round(result.records / Math.max(secs, 0.001)).toLocaleString('en-US')} records/s on ${result.workers} worker${result.workers > 1 ? 's' : ''}`,
    dryRun
      ? 'dry run: nothing was written (add --out DIR to write one file per entity, or --no-dry-run to load the database)'
      : `wrote ${result.files!.length + 1} files to ${result.outDir} (${(result.files!.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1)} MB)`,
  ];
  return `${out.join('\n')}\n`;
}

/** `generate --no-dry-run`: the same run as a job into the store, recorded so `status --job` finds it. */
async function generateIntoDatabase(flags: Flags, scenario: ScenarioProfile, marketId: string, options: GenerateOptions): Promise<void> {
  if (flags.out || flags.events || flags.format) throw new UsageError('--no-dry-run writes into the database; --out, --events and --format are for files');
  const batchSize = num(flags.batchSize) ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000) throw new UsageError(`--batch-size: a whole number from 1 to 1000000 (got '${flags.batchSize}')`);
  const request = GenerateJobRequest.parse({
    scenario: scenario.name,
    // A job's workers are worker threads only (this thread feeds the database): one core is left to it.
    config: { startDate: options.from, endDate: options.to, seed: options.seed, volumeMultiplier: options.multiplier, batchSize, dryRun: false, replace: flags.replace ?? false, market: marketId, workers: flags.workers === undefined ? Math.max(1, options.workers - 1) : options.workers },
  });
  if (flags.server) return generateThroughServer(flags.server, flags, request);
  const reporter = progressReporter(process.stderr, flags.quiet);
  await withStore(async (store) => {
    const jobs = new JobManager(store, guardFromEnv(), () => undefined, (p) => reporter.update(p));
    const job = await jobs.start(request, scenario);
    if (!flags.quiet && !flags.json) process.stderr.write(`job ${job.jobId} started (orderstream status --job ${job.jobId})\n`);
    const onSignal = () => jobs.cancel(job.jobId);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await jobs.wait(job.jobId);
    } finally {
      reporter.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    const done = (await jobs.get(job.jobId))!;
    if (done.status === 'cancelled') throw new Interrupted('interrupted; the job was rolled back and nothing was written');
    if (done.status !== 'completed') throw new UsageError(`job ${done.jobId} failed and was rolled back, nothing was written: ${done.error}`);
    process.stdout.write(
      flags.json
        ? `${JSON.stringify(done)}\n`
        : `${countsTable(done.result!)}\n\njob ${done.jobId}: wrote ${done.result!.records.toLocaleString('en-US')} rows to ${store.location} in ${(done.result!.elapsedMs / 1000).toFixed(2)} s\n`,
    );
  });
}

const countsTable = (counts: JobView['result'] & object) => formatTable(['table', 'rows'], ENTITY_NAMES.map((e) => [e, (counts.counts[e] ?? 0).toLocaleString('en-US')]), ['left', 'right']);

/**
 * `generate --no-dry-run --server URL`: the job runs on a running server (the way to the
 * embedded database `serve` holds open); this follows its progress until it ends.
 */
async function generateThroughServer(server: string, flags: Flags, request: GenerateJobRequest): Promise<void> {
  if (flags.scenarioFile) throw new UsageError('--scenario-file cannot be sent to a server; use a built-in --scenario with --server, or run without --server against the database itself');
  const started = JobStarted.parse((await callServer(server, 'POST', '/api/mock-data/generate', request)).body);
  const follow = `orderstream status --job ${started.jobId} --server ${server}`;
  if (!flags.quiet && !flags.json) process.stderr.write(`job ${started.jobId} started on ${server} (${follow})\n`);
  const reporter = jobProgressReporter(process.stderr, flags.quiet || flags.json);
  let stop: (() => void) | null = null;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = () => stop?.();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let job: JobView;
  try {
    for (;;) {
      job = JobView.parse((await callServer(server, 'GET', `/api/mock-data/status?jobId=${encodeURIComponent(started.jobId)}`)).body);
      reporter.update(job.progress);
      if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') break;
      const interrupted = await Promise.race([stopped.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 250))]);
      if (interrupted) throw new Interrupted(`stopped following; the job goes on on the server (${follow})`);
    }
  } finally {
    reporter.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (job.status !== 'completed') throw new UsageError(`job ${job.jobId} ${job.status} and was rolled back, nothing was written${job.error ? `: ${job.error}` : ''}`);
  process.stdout.write(
    flags.json ? `${JSON.stringify(job)}\n` : `${countsTable(job.result!)}\n\njob ${job.jobId}: wrote ${job.result!.records.toLocaleString('en-US')} rows through ${server} in ${(job.result!.elapsedMs / 1000).toFixed(2)} s\n`,
  );
}

export function generateCommand(): Command {
  const d = GenerateOptions.parse({});
  return new Command('generate')
    .description(COMMAND_SUMMARIES.generate.description)
    .option('--scenario <name>', 'built-in scenario (see `orderstream scenarios`)')
    .option('--scenario-file <file>', 'custom scenario JSON file (may "extends" a built-in)')
    .option('--market <id>', `market pack: ${MARKET_IDS.join(', ')} (default: the scenario's)`)
    .option('--from <date>', `first day, YYYY-MM-DD (default: ${d.from})`)
    .option('--to <date>', `last day, YYYY-MM-DD, inclusive (default: ${d.to})`)
    .option('--seed <n>', `random seed: same seed and options, same bytes (default: ${d.seed})`)
    .option('--multiplier <x>', `volume multiplier (default: ${d.multiplier})`)
    .option('--workers <n>', `threads that draft and write days, 1 to 64; the output is identical for any number (default: up to the cores, ${defaultWorkers()}, as many as the run's size repays; with --no-dry-run, worker threads beside the one that feeds the database: one fewer)`)
    .addOption(new Option('--format <format>', `file format (default: ${d.format})`).choices([...OUTPUT_FORMATS]))
    .option('--out <dir>', 'write one file per entity into this directory (replaced atomically)')
    .option('--events', 'also write the time-ordered event log (events.ndjson, in the live stream\'s event envelope)')
    .option('--max-records <n>', `refuse runs larger than this, env ORDERSTREAM_MAX_RECORDS (default: ${d.maxRecords.toLocaleString('en-US')})`)
    .option('--no-dry-run', 'write into the database (DATABASE_URL, or the embedded one in ORDERSTREAM_DATA_DIR) as a job')
    .option('--batch-size <n>', 'with --no-dry-run: records per COPY batch (default: 1000)')
    .option('--replace', 'with --no-dry-run: replace the mock data already in the database')
    .option('--server <url>', 'with --no-dry-run: run the job on a running orderstream server (e.g. http://127.0.0.1:3001), the way to the embedded database `serve` holds open')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output')
    .action(async (flags: Flags) => {
      const scenario = resolveScenario(flags);
      const marketId = flags.market ?? scenario.market;
      getMarket(marketId);
      const options = parseGenerateFlags(flags);
      if (flags.dryRun === false) return generateIntoDatabase(flags, scenario, marketId, options);
      if (flags.batchSize !== undefined || flags.replace || flags.server) throw new UsageError('--batch-size, --replace and --server only apply with --no-dry-run');
      if (flags.events && !flags.out) throw new UsageError('--events needs --out DIR (the event log is written as DIR/events.ndjson)');
      const reporter = progressReporter(process.stderr, flags.quiet);
      const abort = new AbortController();
      const onSignal = () => abort.abort(new Interrupted('interrupted; nothing was written'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const result = await generateAnywhere({ scenario, marketId, options, out: flags.out ?? null, fitWorkers: flags.workers === undefined }, { onProgress: (p) => reporter.update(p), signal: abort.signal });
        reporter.stop();
        const { files, validation, ...rest } = result;
        process.stdout.write(flags.json ? `${JSON.stringify({ ...rest, scenario: scenario.name, market: marketId, dryRun: !flags.out, validation: { ...validation }, files })}\n` : printSummary(result, !flags.out));
      } finally {
        reporter.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
