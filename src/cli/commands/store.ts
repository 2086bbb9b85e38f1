/**
 * `status`, `cleanup`, `toggle` and `export`: spec 002's management commands for the mock data in the store.
 * The job manager (and with it the generation engine, the simulation and faker: a third of a
 * short command's CPU) loads only when `status` reads a job.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Command, Option } from 'commander';
import { ENTITY_NAMES, type EntityName } from '../../domain/entities.js';
import { UsageError } from '../../domain/errors.js';
import { EXPORT_FORMATS, ExportRequest, type JobView } from '../../domain/jobs.js';
import { exportRecords } from '../../sinks/export.js';
import { checkWrite, mockDataState, refuseInProduction, writeToggle } from '../../store/guard.js';
import { cleanupMockData, scanRecords } from '../../store/records.js';
import { MOCK_SCHEMA } from '../../store/schema.js';
import { num } from '../flags.js';
import { formatTable } from '../table.js';
import { callServer, serverAuth, guardFromEnv, withStore } from '../store-access.js';
import { COMMAND_SUMMARIES } from './summaries.js';

const serverOption = () => new Option('--server <url>', 'ask a running orderstream server (e.g. http://127.0.0.1:3001) instead of opening the database');
const print = (json: boolean | undefined, value: unknown, text: () => string) => process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text()}\n`);

function describeJob(job: JobView): string {
  const p = job.progress;
  const rows = ENTITY_NAMES.filter((e) => p.recordsGenerated[e] !== undefined).map((e) => [e, p.recordsGenerated[e]!.toLocaleString('en-US')]);
  return [
    `job ${job.jobId}: ${job.status}${job.dryRun ? ' (dry run)' : ''}, scenario ${job.scenario}`,
    // What it is doing only while it does it: a finished job said "progress 100%, loading orders".
    `progress ${p.progressPercent}%${p.currentEntity && (job.status === 'started' || job.status === 'generating') ? `, ${job.dryRun ? 'counting' : 'loading'} ${p.currentEntity}` : ''}, ${p.throughput.toLocaleString('en-US')} records/s${p.etaSeconds ? `, about ${p.etaSeconds} s left` : ''}`,
    ...(rows.length ? ['', formatTable(['entity', 'records'], rows, ['left', 'right'])] : []),
    ...(job.error ? [`error: ${job.error}`] : []),
  ].join('\n');
}

export function statusCommand(): Command {
  return new Command('status')
    .description(COMMAND_SUMMARIES.status.description)
    .requiredOption('--job <id>', 'the job id (from POST /api/mock-data/generate or `generate --no-dry-run`)')
    .addOption(serverOption())
    .option('--json', 'print the job as JSON')
    .action(async (flags: { job: string; server?: string; json?: boolean }) => {
      // Loaded before the database opens, not while it holds the embedded database's lock.
      const readJob = flags.server ? null : (await import('../../jobs/job-manager.js')).readJob;
      const job = readJob
        ? await withStore((store) => readJob(store, flags.job), { mustExist: true })
        : (await callServer<JobView>(flags.server!, 'GET', `/api/mock-data/status?jobId=${encodeURIComponent(flags.job)}`)).body;
      if (!job) throw new UsageError(`no job ${flags.job} in this database`);
      print(flags.json, job, () => describeJob(job));
      if (job.status === 'failed' || job.status === 'cancelled') process.exitCode = 1;
    });
}

export function cleanupCommand(): Command {
  return new Command('cleanup')
    .description(COMMAND_SUMMARIES.cleanup.description)
    .option('--confirm', 'yes, delete all mock data')
    .addOption(serverOption())
    .option('--json', 'print the deleted counts as JSON')
    .action(async (flags: { confirm?: boolean; server?: string; json?: boolean }) => {
      if (!flags.confirm) throw new UsageError(`cleanup deletes every row in ${MOCK_SCHEMA}; run it again with --confirm`);
      // Refused before the database is opened (and, embedded, created or migrated); a server applies its own NODE_ENV.
      if (!flags.server) refuseInProduction();
      const deleted = flags.server
        ? await (async (server: string) => {
            // A single-use confirmation first, then the deletion with it.
            const { confirm } = (await callServer<{ confirm: string }>(server, 'GET', '/api/mock-data/cleanup')).body;
            return (await callServer<{ deleted: Record<string, number> }>(server, 'DELETE', `/api/mock-data/cleanup?confirm=${encodeURIComponent(confirm)}`)).body.deleted;
          })(flags.server)
        : await withStore(async (store) => {
            await checkWrite(store, guardFromEnv(), { schema: MOCK_SCHEMA, records: 0 });
            return cleanupMockData(store);
          }, { mustExist: true });
      const total = Object.values(deleted).reduce((a, b) => a + b, 0);
      print(flags.json, { deleted, total }, () => `deleted ${total.toLocaleString('en-US')} rows from ${MOCK_SCHEMA}`);
    });
}

export function toggleCommand(): Command {
  return new Command('toggle')
    .description(COMMAND_SUMMARIES.toggle.description)
    .option('--enable', 'allow mock data writes')
    .option('--disable', 'refuse mock data writes')
    .addOption(serverOption())
    .option('--json', 'print the state as JSON')
    .action(async (flags: { enable?: boolean; disable?: boolean; server?: string; json?: boolean }) => {
      if (flags.enable && flags.disable) throw new UsageError('give --enable or --disable, not both');
      const wanted = flags.enable ? true : flags.disable ? false : null;
      const state = flags.server
        ? (await callServer<{ enabled: boolean; source: string; note?: string }>(flags.server, wanted === null ? 'GET' : 'POST', '/api/mock-data/toggle', wanted === null ? undefined : { enabled: wanted })).body
        : await withStore(async (store) => {
            if (wanted !== null) await writeToggle(store, wanted);
            return mockDataState(store, guardFromEnv());
          }, { mustExist: true });
      print(flags.json, state, () => `mock data writes: ${state.enabled ? 'enabled' : 'disabled'} (${state.source})${'note' in state && state.note ? `\nnote: ${state.note}` : ''}`);
    });
}

export function exportCommand(): Command {
  return new Command('export')
    .description(COMMAND_SUMMARIES.export.description)
    .addOption(new Option('--entity <name>', 'the table').choices([...ENTITY_NAMES]).default('orders'))
    .addOption(new Option('--format <format>', 'file format').choices([...EXPORT_FORMATS]).default('ndjson'))
    .option('--limit <n>', 'at most this many rows, in key order')
    .option('--out <file>', 'write here (default: standard output)')
    .addOption(serverOption())
    .action(async (flags: { entity: string; format: string; limit?: string; out?: string; server?: string }) => {
      const parsed = ExportRequest.safeParse({ entity: flags.entity, format: flags.format, limit: num(flags.limit) });
      if (!parsed.success) throw new UsageError(`--limit: must be a whole number above 0 (got '${flags.limit}')`);
      const req = parsed.data;
      if (req.format === 'parquet' && !flags.out) throw new UsageError('--format parquet needs --out FILE (it is binary)');
      // Written beside the target and renamed at the end: a failed export leaves no half file.
      const partial = flags.out ? `${flags.out}.partial-${process.pid}` : null;
      const sink = partial ? createWriteStream(partial) : process.stdout;
      try {
        if (flags.server) {
          const res = await fetch(new URL('/api/mock-data/export', flags.server), { method: 'POST', headers: { 'content-type': 'application/json', ...serverAuth() }, body: JSON.stringify(req) }).catch((err: Error) => {
            throw new UsageError(`cannot reach the server at ${flags.server}: ${err.message}`);
          });
          if (!res.ok || !res.body) throw new UsageError(`export failed: ${await res.text()}`);
          await pipeline(Readable.fromWeb(res.body as never), sink, { end: partial !== null });
        } else {
          await withStore(async (store) => {
            const out = await exportRecords(req.entity as EntityName, req.format, scanRecords(store, req.entity as EntityName, req.limit));
            try {
              await pipeline(out.stream, sink, { end: partial !== null });
            } finally {
              await out.cleanup();
            }
          }, { mustExist: true });
        }
        if (partial) await rename(partial, flags.out!);
      } catch (err) {
        if (partial) await rm(partial, { force: true });
        // The reader went away (`export … | head`): what it wanted it has; stop quietly, as `stream` does.
        if (!partial && (err as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw err;
      }
    });
}
