/**
 * First start (issue 14): `orderstream serve` — what `npm start` runs — on a fresh data
 * directory, from the process start to listening (the database opened and migrated, the
 * simulation replayed), to the demo dataset loaded behind it, and to the first event a
 * WebSocket client receives. Three runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { formatRows, verdict } from './report.js';

const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.js');

async function once(): Promise<{ listeningMs: number; loadedMs: number; firstEventMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'orderstream-startup-'));
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: dir, env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    let loadedMs = Number.NaN;
    const loaded = new Promise<void>((resolve) => {
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
        if (Number.isNaN(loadedMs) && /loaded a demo dataset|demo dataset could not be loaded/.test(err)) {
          loadedMs = performance.now() - started;
          resolve();
        }
      });
    });
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
        const m = /serving on (http:\/\/\S+)/.exec(err);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited (${code}):\n${err}`)));
    });
    const listeningMs = performance.now() - started;
    const firstEventMs = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/stream/ws?channels=all`);
      ws.on('message', (raw) => {
        if ((JSON.parse(raw.toString()) as { type: string }).type === 'event') {
          resolve(performance.now() - started);
          ws.close();
        }
      });
      ws.on('error', reject);
    });
    await loaded;
    return { listeningMs, loadedMs, firstEventMs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchStartup(): Promise<string> {
  const runs = [await once(), await once(), await once()];
  const best = Math.min(...runs.map((r) => r.firstEventMs));
  return [
    'First start — `orderstream serve` (npm start) on a fresh data directory: process start → listening → demo dataset loaded (behind) → first event on a WebSocket client',
    '',
    ...formatRows(
      ['run', 'listening s', 'demo dataset loaded s', 'first event s'],
      runs.map((r, i) => [`${i + 1}`, (r.listeningMs / 1000).toFixed(2), (r.loadedMs / 1000).toFixed(2), (r.firstEventMs / 1000).toFixed(2)]),
    ),
    '',
    `target (issue 14): first event < 5 s: ${verdict(best < 5000)} (best ${(best / 1000).toFixed(2)} s)`,
    '',
  ].join('\n');
}
