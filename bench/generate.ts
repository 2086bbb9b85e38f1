/**
 * Generation throughput against its targets and its peer, measured in one run.
 *
 *  - the issue's command: generate --scenario normal-ops --from 2024-01-01 --to 2024-12-31
 *    --multiplier 20 --format ndjson (a dry run: records are generated and validated, not
 *    written), with --workers 1 (one thread does everything) and --workers 2 (that thread
 *    and one worker thread);
 *  - the same writing the NDJSON files (--out), with 1 and 2 workers;
 *  - the peer: the same order records built with plain seeded faker calls;
 *  - two references for the 2-worker ratio: two spin loops side by side (the cores), and two
 *    independent half-year runs side by side (the cores as this workload can use them).
 *
 * Rates use wall-clock time of the whole CLI process (start-up included). Each case runs
 * `--repeat` times (default 2) and the best is kept. `--quick` uses a quarter instead of a year.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fakerOrdersPerSecond } from './faker-baseline.js';

import { formatRows, fmt, verdict } from './report.js';

const CLI = resolve('dist/src/cli/main.js');

interface Measure {
  records: number;
  seconds: number;
  rate: number;
}

function runGenerate(COMMAND: string[], scratch: string, repeat: number, extra: string[]): Measure {
  let best: Measure | null = null;
  for (let i = 0; i < repeat; i++) {
    const out = extra.includes('--out') ? join(scratch, `run-${i}`) : null;
    const started = performance.now();
    const child = spawnSync(process.execPath, [CLI, ...COMMAND, ...extra.map((a) => (a === '@OUT' ? out! : a))], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const seconds = (performance.now() - started) / 1000;
    if (child.status !== 0) throw new Error(`generate failed: ${child.stderr}`);
    const { records } = JSON.parse(child.stdout) as { records: number };
    if (out) rmSync(out, { recursive: true, force: true });
    const m = { records, seconds, rate: records / seconds };
    if (!best || m.rate > best.rate) best = m;
  }
  return best!;
}

/**
 * What two cores give on this machine: the speed-up of two independent CPU-bound processes
 * over one. Shared or virtual cores often give far less than 2×, which caps any worker speed-up.
 */
async function parallelCeiling(): Promise<number> {
  const spin = ['-e', 'let x = 0; for (let i = 0; i < 6e8; i++) x += i % 7; if (x < 0) console.log(x);'];
  let started = performance.now();
  spawnSync(process.execPath, spin);
  const one = performance.now() - started;
  started = performance.now();
  const a = spawn(process.execPath, spin);
  const b = spawn(process.execPath, spin);
  return new Promise<number>((done) => {
    let left = 2;
    const finish = () => --left === 0 && done((2 * one) / (performance.now() - started));
    a.on('exit', finish);
    b.on('exit', finish);
  });
}

/**
 * What two cores give this workload: two independent runs of half the year each, side by
 * side, against one after the other (each on one worker, each its own process, nothing
 * shared). The generator allocates heavily, so two of it on two cores contend for memory
 * bandwidth, caches and the garbage collector's helper threads far more than two spin
 * loops do: no split of one run across threads can beat this ratio.
 */
async function workloadCeiling(base: string[]): Promise<number> {
  const halves = [
    ['--from', '2024-01-01', '--to', '2024-06-30'],
    ['--from', '2024-07-01', '--to', '2024-12-31'],
  ].map((range) => [CLI, ...base, ...range, '--workers', '1']);
  const failed = (code: number | null) => {
    if (code !== 0) throw new Error(`a half-year run for the workload reference failed (exit ${code})`);
  };
  let started = performance.now();
  for (const args of halves) failed(spawnSync(process.execPath, args, { stdio: 'ignore' }).status);
  const oneAfterOther = performance.now() - started;
  started = performance.now();
  const codes = await Promise.all(halves.map((args) => new Promise<number | null>((done) => spawn(process.execPath, args, { stdio: 'ignore' }).on('exit', done))));
  const sideBySide = performance.now() - started;
  codes.forEach(failed);
  return oneAfterOther / sideBySide;
}

export async function benchGenerate(quick: boolean, repeat: number): Promise<string> {
  const RANGE = quick ? ['--from', '2024-01-01', '--to', '2024-03-31'] : ['--from', '2024-01-01', '--to', '2024-12-31'];
  const BASE = ['generate', '--scenario', 'normal-ops', '--multiplier', '20', '--format', 'ndjson', '--quiet', '--json'];
  const COMMAND = [...BASE, ...RANGE];
  // tmpfs when there is one, so the disk is not what we measure.
  const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'orderstream-bench-'));
  const run = (extra: string[]) => runGenerate(COMMAND, scratch, repeat, extra);
  const dry1 = run(['--workers', '1']);
  const dry2 = run(['--workers', '2']);
  const out1 = run(['--workers', '1', '--out', '@OUT']);
  const out2 = run(['--workers', '2', '--out', '@OUT']);
  const faker = fakerOrdersPerSecond(quick ? 30_000 : 100_000);
  const ceiling = await parallelCeiling();
  const workload = quick ? null : await workloadCeiling(BASE);
  rmSync(scratch, { recursive: true, force: true });

  const rows: string[][] = [
    ['generate (dry run), --workers 1', fmt(dry1.records), dry1.seconds.toFixed(2), fmt(dry1.rate), `${(dry1.rate / faker).toFixed(1)}× faker`],
    ['generate (dry run), --workers 2', fmt(dry2.records), dry2.seconds.toFixed(2), fmt(dry2.rate), `${(dry2.rate / dry1.rate).toFixed(2)}× 1 worker`],
    ['generate --out (NDJSON written), --workers 1', fmt(out1.records), out1.seconds.toFixed(2), fmt(out1.rate), `${(out1.rate / faker).toFixed(1)}× faker`],
    ['generate --out (NDJSON written), --workers 2', fmt(out2.records), out2.seconds.toFixed(2), fmt(out2.rate), `${(out2.rate / out1.rate).toFixed(2)}× 1 worker`],
    ['peer: plain seeded faker, order records (objects only)', '—', '—', fmt(faker), '1.0×'],
    ['machine: two CPU-bound processes vs one', '—', '—', '—', `${ceiling.toFixed(2)}× reference`],
    ...(workload ? [['workload: two half-year runs side by side vs one after the other', '—', '—', '—', `${workload.toFixed(2)}× reference`]] : []),
  ];
  return [
      `orderstream generate — ${quick ? 'one quarter' : 'one year'} of normal-ops × 20, node ${process.version}, best of ${repeat}`,
      '',
      ...formatRows(['case', 'records', 'seconds', 'records/s', 'ratio'], rows),
      '',
      `targets (on the issue's command): dry ≥ 400,000 records/s with 1 worker: ${verdict(dry1.rate >= 400_000)} (${fmt(dry1.rate)});` +
        ` ≥ 1.7× that with 2 workers: ${verdict(dry2.rate >= 1.7 * dry1.rate)} (${(dry2.rate / dry1.rate).toFixed(2)}×, two-core reference ${ceiling.toFixed(2)}× for spin loops${workload ? `, ${workload.toFixed(2)}× for this workload` : ''});` +
        ` NDJSON written ≥ 200,000 records/s with 1 worker: ${verdict(out1.rate >= 200_000)} (${fmt(out1.rate)});` +
        ` ≥ 10× faker: ${verdict(dry1.rate >= 10 * faker)} (${(dry1.rate / faker).toFixed(1)}×)`,
      '',
    ].join('\n');
}
