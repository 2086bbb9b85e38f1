/**
 * The client examples users copy from the streaming requirements run unchanged against
 * `serve` (only host and port adapted): the browser-style SSE client (EventSource with
 * `onmessage` and a named listener) and the Python WebSocket client (the `websockets`
 * package, reading `event['event_type']` on every frame).
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { inProcessServer } from '../helpers/server.js';
import { serviceMissing } from '../helpers/services.js';

const PYTHON = '/usr/bin/python3';
const pythonMissing = await serviceMissing('Python 3 with the websockets package (Debian python3-websockets)', () => {
  const r = spawnSync(PYTHON, ['-c', 'import websockets'], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('import websockets failed');
});

/** Runs a program until it has printed `lines` lines of interest (or exited); resolves with its output. */
function runUntil(cmd: string, args: string[], interesting: RegExp, lines: number): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.setEncoding('utf8'); // a character straddling two chunks stays whole
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      stdout += d;
      if (stdout.split('\n').filter((l) => interesting.test(l)).length >= lines) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

describe('the streaming clients of the requirements, unchanged', () => {
  let server: Awaited<ReturnType<typeof inProcessServer>>;
  const dir = tempDir('orderstream-clients-');
  beforeAll(async () => {
    server = await inProcessServer({ SIMULATION_ENABLED: 'true', SIMULATION_SPEED: '60', SIMULATION_RATE: '60' });
  });
  afterAll(() => server?.close());

  it('SSE: onmessage sees every event, a named listener its own type', async () => {
    const host = server.url.replace('http://', '');
    // The example as written, for a browser; EventSource comes from the eventsource package here.
    const example = `import { EventSource } from 'eventsource';
const eventSource = new EventSource('http://${host}/stream/events?channels=orders,alerts,stock');

eventSource.onmessage = (event) => {
  const data = JSON.parse(event.data);
  console.log('Event:', JSON.stringify(data));
};

eventSource.addEventListener('stock.updated', (event) => {
  console.log('Stock event:', JSON.parse(event.data).event_type);
});

eventSource.onerror = (error) => {
  console.error('SSE error:', error);
};
`;
    const file = join(process.cwd(), 'node_modules', '.orderstream-sse-example.mjs');
    writeFileSync(file, example);
    const r = await runUntil(process.execPath, [file], /^Event:/, 20);
    const events = r.stdout.split('\n').filter((l) => l.startsWith('Event:')).map((l) => JSON.parse(l.slice('Event: '.length)) as { type: string; event_type: string });
    expect(events.length).toBeGreaterThanOrEqual(20);
    expect(events.every((e) => e.type === 'event' && typeof e.event_type === 'string')).toBe(true);
    expect(new Set(events.map((e) => e.event_type)).has('order.created')).toBe(true);
    // onmessage saw each event once (no duplicates by id).
    const ids = events.map((e) => (e as unknown as { event_id: string }).event_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(r.stderr).not.toMatch(/SSE error/);
    // The named listener heard its own type too (stock moves with every order).
    const stock = await runUntil(process.execPath, [file], /^Stock event:/, 2).finally(() => rmSync(file, { force: true }));
    expect(stock.stdout).toMatch(/^Stock event: stock\.updated$/m);
  }, 120_000);

  it.skipIf(pythonMissing)('Python: the websockets client prints every frame\'s event_type without a KeyError', async () => {
    const uri = `${server.ws}/stream/ws?channels=orders,alerts`;
    const example = `import asyncio
import websockets
import json

async def listen_to_stream():
    uri = "${uri}"

    async with websockets.connect(uri) as websocket:
        async for message in websocket:
            event = json.loads(message)
            print(f"Received: {event['event_type']}")

            if event.get('event_type') == 'stock.low':
                handle_low_stock_alert(event['data'])

asyncio.run(listen_to_stream())
`;
    const file = join(dir, 'client.py');
    writeFileSync(file, example);
    const r = await runUntil(PYTHON, [file], /^Received:/, 10);
    const received = r.stdout.split('\n').filter((l) => l.startsWith('Received: '));
    expect(received.length).toBeGreaterThanOrEqual(10);
    expect(received[0]).toBe('Received: stream.connected');
    expect(received.some((l) => l === 'Received: order.created')).toBe(true);
    expect(r.stderr).not.toMatch(/KeyError|Traceback/);
  }, 120_000);
});
