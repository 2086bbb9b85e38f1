/**
 * WebSocket fan-out: 100 clients on `all`, events published at 1,000, 2,000 and 5,000 per
 * second, orderstream's server side by side with Socket.IO broadcasting the same events
 * to the same number of clients. Server and clients are separate processes (one core each
 * on a two-core machine), so the client process's parsing is part of every figure.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface FanoutResult {
  impl: 'orderstream' | 'socketio';
  rate: number;
  published: number;
  expected: number;
  frames: number;
  seconds: number;
  framesPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Every frame arrived, and within a second of the end. */
  sustained: boolean;
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

function child(file: string, args: string[] = []): ChildProcess {
  return fork(here(file), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=2048'] });
}

function ask<T>(proc: ChildProcess, msg: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { cmd: string }) => {
      if (m.cmd !== reply) return;
      proc.off('message', on);
      resolve(m as T);
    };
    proc.on('message', on);
    proc.send(msg);
  });
}

const waitFor = <T>(proc: ChildProcess, cmd: string) =>
  new Promise<T>((resolve) => {
    const on = (m: { cmd: string }) => m.cmd === cmd && (proc.off('message', on), resolve(m as T));
    proc.on('message', on);
  });

export async function benchFanout(opts: { clients: number; rates: number[]; seconds: number }): Promise<FanoutResult[]> {
  const results: FanoutResult[] = [];
  for (const impl of ['orderstream', 'socketio'] as const) {
    for (const rate of opts.rates) {
      // A fresh pair of processes per case: no backlog or garbage carried from the last one.
      const server = child('./server.js', [impl]);
      const { port } = await waitFor<{ port: number }>(server, 'ready');
      const clients = child('./clients.js');
      await waitFor(clients, 'ready');
      await ask(clients, { cmd: 'connect', impl, url: `http://127.0.0.1:${port}`, n: opts.clients }, 'connected');
      await ask(server, { cmd: 'run', rate: Math.min(rate, 500), seconds: 1 }, 'done'); // warm-up
      await new Promise((r) => setTimeout(r, 500));
      await ask(clients, { cmd: 'reset' }, 'reset');
      const started = performance.now();
      const { published } = await ask<{ published: number }>(server, { cmd: 'run', rate, seconds: opts.seconds }, 'done');
      const expected = published * opts.clients;
      let report = await ask<{ frames: number; p50: number; p99: number; max: number }>(clients, { cmd: 'report' }, 'report');
      // Give stragglers up to a second; what is still missing then was not sustained.
      for (let i = 0; i < 10 && report.frames < expected; i++) {
        await new Promise((r) => setTimeout(r, 100));
        report = await ask(clients, { cmd: 'report' }, 'report');
      }
      const seconds = (performance.now() - started) / 1000;
      results.push({ impl, rate, published, expected, ...report, seconds, framesPerSecond: report.frames / seconds, sustained: report.frames >= expected });
      clients.send({ cmd: 'exit' });
      server.send({ cmd: 'exit' });
      await Promise.all([clients, server].map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    }
  }
  return results;
}
