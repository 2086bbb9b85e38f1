/** Servers for tests: in-process (fast, inspectable) or as a real `orderstream serve` process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import WebSocket from 'ws';
import { ServerEnv, configFromEnv, type ServerConfig } from '../../src/domain/server-config.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { CLI } from './cli.js';

export function testConfig(env: Record<string, string> = {}, patch: (c: ServerConfig) => void = () => undefined): ServerConfig {
 // Most server tests are about the hub: they opt into a database with STORE_ENABLED=true.
  const config = configFromEnv(ServerEnv.parse({ PORT: '0', STORE_ENABLED: 'false', ...env }), `test-${Math.random().toString(36).slice(2, 8)}`);
  patch(config);
  return config;
}

export async function inProcessServer(env: Record<string, string> = {}, patch?: (c: ServerConfig) => void): Promise<RunningServer & { ws: string }> {
  const server = await startServer(testConfig(env, patch));
  return { ...server, ws: server.url.replace('http', 'ws') };
}

export interface ServerProcess {
  url: string;
  ws: string;
  child: ChildProcess;
  stderr: () => string;
  stop: () => Promise<number | null>;
}

/** `orderstream serve --port 0 …` as a child process; resolves once it prints its address. */
export function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { env: { ...process.env, NODE_ENV: 'test', STORE_ENABLED: 'false', ...env } });
    let stderr = '';
    child.stderr.setEncoding('utf8'); // a character straddling two chunks stays whole
    child.stderr.on('data', (d: string) => {
      stderr += d;
      const m = /serving on (http:\/\/\S+)/.exec(stderr);
      // A first start serves while its demo dataset loads: tests get the server with its data, as callers of startServer do.
      const loading = /loading a demo dataset/.test(stderr) && !/loaded a demo dataset|demo dataset could not be loaded/.test(stderr);
      if (m && !loading) resolve({ url: m[1], ws: m[1].replace('http', 'ws'), child, stderr: () => stderr, stop });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
    const stop = () =>
      new Promise<number | null>((done) => {
        if (child.exitCode !== null) return done(child.exitCode);
        child.once('exit', (code) => done(code));
        child.kill('SIGTERM');
      });
  });
}

export interface Frame {
  type: string;
  seq?: number;
  event_type?: string;
  event_id?: string;
  data?: Record<string, unknown>;
  [k: string]: unknown;
}

/** A real WebSocket client that records every frame it receives. */
export class RecordingClient {
  readonly frames: Frame[] = [];
  readonly socket: WebSocket;
  closed: { code: number; reason: string } | null = null;
  readonly opened: Promise<void>;

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(url, options);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
      this.socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.socket.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
    this.socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  events(): Frame[] {
    return this.frames.filter((f) => f.type === 'event');
  }

  send(data: unknown): void {
    this.socket.send(typeof data === 'string' ? data : JSON.stringify(data));
  }

  async waitFor(predicate: (c: RecordingClient) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`timed out; ${this.frames.length} frames, closed=${JSON.stringify(this.closed)}`);
      // Re-checked on the next frame or close (event-driven), and every 20 ms for predicates that look elsewhere.
      await new Promise<void>((r) => {
        const wake = () => {
          clearTimeout(timer);
          this.socket.off('message', onMessage);
          this.socket.off('close', wake);
          r();
        };
        // The recording listener was added first, so the frame is in this.frames when this runs.
        const onMessage = () => wake();
        const timer = setTimeout(wake, 20);
        this.socket.on('message', onMessage);
        this.socket.on('close', wake);
      });
    }
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds; fails with `what` after the timeout. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * startServer as a library caller runs it, in a process of its own (the built code), configured
 * by `env`: what it printed on failure, and its exit code once it ends by itself. A start that
 * fails must let go of everything, or the process never ends (and the test fails by its timeout).
 */
export function startServerInChild(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const script = `
    const { startServer } = await import(${JSON.stringify(resolve('dist/src/server/app.js'))});
    const { ServerEnv, configFromEnv } = await import(${JSON.stringify(resolve('dist/src/domain/server-config.js'))});
    await startServer(configFromEnv(ServerEnv.parse(process.env), 'child')).then(() => console.error('started'), (err) => console.error(err.message));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  return new Promise((done) => child.on('exit', (code) => done({ code, stderr })));
}
