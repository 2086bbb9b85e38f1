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
  /** The publisher kept its schedule and every frame arrived within a second of the end. */
  sustained: boolean;
  /** Cores used by the server process, and by all client processes together. */
  serverCores: number;
  clientCores: number;
}

interface Report {
  frames: number;
  histogram: number[];
  cpuShare: number;
}

/** Percentiles over the client processes' merged histograms (0.1 ms buckets). */
function merge(reports: Report[]): { frames: number; p50: number; p99: number; max: number } {
  const frames = reports.reduce((s, r) => s + r.frames, 0);
  const size = Math.max(...reports.map((r) => r.histogram.length));
  const hist = new Float64Array(size);
  for (const r of reports) r.histogram.forEach((v, i) => (hist[i] += v));
  const pct = (p: number) => {
    const target = Math.ceil(frames * p);
    let seen = 0;
    for (let i = 0; i < size; i++) if ((seen += hist[i]) >= target) return (i + 1) * 0.1;
    return Number.NaN;
  };
  return { frames, p50: pct(0.5), p99: pct(0.99), max: pct(1) };
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

function child(file: string, args: string[] = []): ChildProcess {
  return fork(here(file), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=2048', ...(process.env.FANOUT_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.FANOUT_PROF] : [])] });
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

export async function benchFanout(opts: { clients: number; rates: number[]; seconds: number; clientProcesses: number }): Promise<FanoutResult[]> {
  const results: FanoutResult[] = [];
  for (const impl of ['orderstream', 'socketio'] as const) {
    for (const rate of opts.rates) {
      // A fresh pair of processes per case: no backlog or garbage carried from the last one.
      const server = child('./server.js', [impl]);
      const { port } = await waitFor<{ port: number }>(server, 'ready');
      const groups = Array.from({ length: opts.clientProcesses }, () => child('./clients.js'));
      await Promise.all(groups.map((g) => waitFor(g, 'ready')));
      const perGroup = Math.ceil(opts.clients / groups.length);
      await Promise.all(groups.map((g, i) => ask(g, { cmd: 'connect', impl, url: `http://127.0.0.1:${port}`, n: Math.min(perGroup, opts.clients - i * perGroup) }, 'connected')));
      await ask(server, { cmd: 'run', rate: Math.min(rate, 500), seconds: 1 }, 'done'); // warm-up
      await new Promise((r) => setTimeout(r, 500));
      await Promise.all(groups.map((g) => ask(g, { cmd: 'reset' }, 'reset')));
      const started = performance.now();
      const { published, cpuShare: serverCores } = await ask<{ published: number; cpuShare: number }>(server, { cmd: 'run', rate, seconds: opts.seconds }, 'done');
      const publishSeconds = (performance.now() - started) / 1000;
      const expected = published * opts.clients;
      let clientCores = 0;
      const collect = async () => {
        const reports = await Promise.all(groups.map((g) => ask<Report>(g, { cmd: 'report' }, 'report')));
        clientCores = reports.reduce((s, r) => s + r.cpuShare, 0);
        return merge(reports);
      };
      let report = await collect();
      // Give stragglers up to a second; what is still missing then was not sustained.
      for (let i = 0; i < 10 && report.frames < expected; i++) {
        await new Promise((r) => setTimeout(r, 100));
        report = await collect();
      }
      const seconds = (performance.now() - started) / 1000;
      // Sustained: the publisher kept its schedule (within 5%) and every frame arrived.
      const sustained = report.frames >= expected && publishSeconds <= opts.seconds * 1.05;
      results.push({ impl, rate, published, expected, frames: report.frames, p50: report.p50, p99: report.p99, max: report.max, seconds, framesPerSecond: report.frames / seconds, sustained, serverCores, clientCores });
      for (const p of [...groups, server]) p.send({ cmd: 'exit' });
      await Promise.all([...groups, server].map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    }
  }
  return results;
}
