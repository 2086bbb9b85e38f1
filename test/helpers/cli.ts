/** Runs the built CLI (npm test builds first) as a user would, and reads what it wrote. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve('dist/src/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the whole process (all threads), in kB, sampled from /proc. */
  peakRssKb: number;
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  opts: {
    cwd?: string;
    killAfterMs?: number;
    /** SIGINT 500 ms after the first output on stdout. */
    interruptAfterOutput?: boolean;
    /** SIGINT once this holds (checked every 50 ms): an event to wait for rather than a fixed delay. */
    interruptWhen?: () => boolean;
  } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: { ...process.env, NODE_ENV: 'test', STORE_ENABLED: 'false', ...env } });
    if (opts.killAfterMs) setTimeout(() => child.kill('SIGINT'), opts.killAfterMs);
    let stdout = '';
    let stderr = '';
    let peakRssKb = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakRssKb = Math.max(peakRssKb, Number(m[1]));
      } catch {
        /* process already gone */
      }
    };
    let interrupted = false;
    const timer = setInterval(() => {
      sample();
      if (opts.interruptWhen && !interrupted && opts.interruptWhen()) {
        interrupted = true;
        child.kill('SIGINT');
      }
    }, 50);
    // Decoded as UTF-8 across chunks: a character split between two reads (Arabic names) stays whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      if (opts.interruptAfterOutput && !stdout) setTimeout(() => child.kill('SIGINT'), 500);
      stdout += d;
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('exit', (code) => {
      clearInterval(timer);
      done({ code, stdout, stderr, peakRssKb });
    });
  });
}

export const tempDir = (name = 'orderstream-'): string => mkdtempSync(join(tmpdir(), name));

export function readNdjson<T = Record<string, unknown>>(path: string): T[] {
  const text = readFileSync(path, 'utf8');
  return text ? text.trimEnd().split('\n').map((l) => JSON.parse(l) as T) : [];
}

let inProcessQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs a command line in this process (src/cli/program.ts, from the sources), for what is about
 * parsing and messages rather than the process: no Node start-up and module loading per case.
 * What it writes to stdout and stderr is captured, `env` is set for the call (and NODE_ENV=test,
 * STORE_ENABLED=false, as runCli sets them), and the exit code is what the process would exit
 * with. One call at a time (the capture and the environment are the process's); the exit codes,
 * signals and streams of a real process stay with runCli.
 */
export function runCliInProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<Omit<CliResult, 'peakRssKb'>> {
  const run = inProcessQueue.then(async () => {
    const { runCommandLine } = await import('../../src/cli/program.js');
    let stdout = '';
    let stderr = '';
    const capture = (append: (s: string) => void) =>
      ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        done?.();
        return true;
      }) as typeof process.stdout.write;
    const writes = { out: process.stdout.write, err: process.stderr.write };
    // The whole environment is put back: a command may add to it (a .env file in the working directory).
    const saved = { ...process.env };
    const exitCode = process.exitCode;
    for (const [k, v] of Object.entries({ NODE_ENV: 'test', STORE_ENABLED: 'false', ...env })) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.exitCode = undefined;
    process.stdout.write = capture((s) => (stdout += s));
    process.stderr.write = capture((s) => (stderr += s));
    let code: number | null;
    try {
      code = (await runCommandLine(['node', CLI, ...args])) ?? (process.exitCode === undefined ? 0 : Number(process.exitCode));
    } catch (err) {
      // What an uncaught error does to the process: exit 1, its stack on stderr.
      stderr += `${(err as Error).stack ?? String(err)}\n`;
      code = 1;
    } finally {
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
      process.exitCode = exitCode;
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    return { code, stdout, stderr };
  });
  inProcessQueue = run.catch(() => undefined);
  return run;
}
