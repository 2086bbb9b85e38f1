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
