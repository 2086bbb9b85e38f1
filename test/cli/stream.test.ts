import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Sale } from '../../src/domain/events.js';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { RecordingClient, spawnServer } from '../helpers/server.js';

const START = '2025-01-06T08:00:00Z';
const parseStats = (stderr: string) => {
  const n = (label: string) => Number(new RegExp(`${label}: (\\d+)`).exec(stderr)?.[1]);
  return {
    created: n('Total new orders created'),
    transitions: n('Total status updates \\(transitions\\)'),
    shipped: n('Total orders shipped \\(completed\\)'),
    cancelled: n('Total orders cancelled'),
    active: n('Active orders \\(still in pipeline\\)'),
    rate: Number(/Average rate: ([\d.]+) new orders per minute/.exec(stderr)?.[1]),
  };
};

describe('orderstream stream', () => {
  it('prints one spec 004 sale object per line and final statistics that match the lines', async () => {
    const r = await runCli(['stream', '--duration', '0.05', '--speed', '600', '--start', START]);
    expect(r.code, r.stderr).toBe(0);
    const sales = r.stdout.trimEnd().split('\n').map((l) => Sale.parse(JSON.parse(l)));
    const stats = parseStats(r.stderr);
    expect(r.stderr).toMatch(/=== Final Statistics ===/);
    expect(stats.created).toBe(sales.filter((s) => s.status === 'pending').length);
    expect(stats.transitions).toBe(sales.length - stats.created);
    expect(stats.shipped).toBe(sales.filter((s) => s.status === 'shipped').length);
    expect(stats.active).toBe(stats.created - stats.shipped - stats.cancelled);
    // Default delays 1–5 s: about 20 new orders per simulated minute over 30 simulated minutes.
    expect(stats.rate).toBeGreaterThan(17);
    expect(stats.rate).toBeLessThan(23);
    const byOrder = new Map<string, string[]>();
    for (const s of sales) byOrder.set(s.order_id, [...(byOrder.get(s.order_id) ?? []), s.status]);
    for (const [, statuses] of byOrder) {
      const path = statuses.filter((s) => s !== 'cancelled');
      expect(path).toEqual(['pending', 'confirmed', 'processing', 'shipped'].slice(0, path.length));
    }
    expect(sales[0]).toMatchObject({ order_id: 'ORD-93239605', status: 'pending' });
    expect(sales[0].product_id).toMatch(/^PROD-0(0[1-9]|1[0-5])$/);
  });

  it('is byte-identical for the same seed and --start, and differs for another seed', async () => {
    const args = ['stream', '--duration', '0.03', '--speed', '900', '--start', START, '--rate', '60'];
    const [a, b, c] = await Promise.all([runCli([...args, '--seed', '4']), runCli([...args, '--seed', '4']), runCli([...args, '--seed', '5'])]);
    expect(a.stdout.length).toBeGreaterThan(10_000);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
  });

  it('stops on SIGINT, keeps whole lines and prints the statistics', async () => {
    // SIGINT once it is streaming (a fixed delay raced the start-up on a loaded machine).
    const r = await runCli(['stream', '--speed', '600', '--duration', '10'], {}, { interruptAfterOutput: true });
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    for (const line of r.stdout.trimEnd().split('\n')) Sale.parse(JSON.parse(line));
    expect(parseStats(r.stderr).created).toBeGreaterThan(0);
  });

  it('rejects bad flags with exit 2, naming the flag and what is allowed, before printing anything', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--duration', '0'], /--duration: must be greater than 0 \(got '0'\); allowed: minutes/],
      [['--duration', 'soon'], /--duration/],
      [['--min-delay', '5', '--max-delay', '1'], /--min-delay must not exceed --max-delay/],
      [['--rate', '-3'], /--rate: must be greater than 0/],
      [['--speed', '0'], /--speed/],
      [['--seed', '1.5'], /--seed/],
      [['--start', 'yesterday'], /--start: expected an ISO 8601 instant/],
      [['--market', 'mars'], /unknown market "mars"|market/i],
      [['--scenario', 'nope'], /scenario/i],
      [['--kafka-topic', 'x'], /--kafka-topic needs --kafka-bootstrap-servers/],
      [['--kafka-bootstrap-servers', '127.0.0.1:1', '--kafka-topic', 'bad topic!'], /--kafka-topic: a Kafka topic name/],
    ];
    // Refused while parsing, before anything runs: in this process, one after another (the exit
    // code of a real process refusing a flag is generate's and serve's port test's to check).
    for (const [flags, message] of cases) {
      const r = await runCliInProcess(['stream', ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr, flags.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('orderstream serve', () => {
  it('rejects bad configuration with exit 2 and names the variable', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [[], { PORT: 'eighty' }, /PORT: must be a number/],
      [[], { KAFKA_ENABLED: 'maybe' }, /KAFKA_ENABLED/],
      [[], { REDIS_URL: 'localhost:6379' }, /REDIS_URL: a redis:\/\/ or rediss:\/\/ URL/],
      [['--speed', '-1'], {}, /SIMULATION_SPEED/],
      [['--scenario', 'nope'], {}, /scenario/i],
      [['--start', 'tomorrow'], {}, /--start/],
    ];
    // Refused while reading the configuration, before it listens: in this process, one after another.
    for (const [flags, env, message] of cases) {
      // PORT is the one case where the environment must not be overridden by --port.
      const r = await runCliInProcess(['serve', ...(env.PORT ? [] : ['--port', '0']), ...flags], env);
      expect(r.code, JSON.stringify([flags, env])).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('says so when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const r = await runCli(['serve', '--port', String(port)]);
    blocker.close();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`port ${port} is already in use`));
  });

  it('shuts down cleanly on SIGTERM, closing clients with 1001', async () => {
    const server = await spawnServer(['--speed', '60']);
    const c = new RecordingClient(`${server.ws}/stream/ws`);
    await c.opened;
    const code = await server.stop();
    expect(code).toBe(0);
    await c.waitFor((x) => x.closed !== null);
    expect(c.closed!.code).toBe(1001);
    expect(server.stderr()).toMatch(/shutting down/);
  });

  it('--help lists the spec 003 environment', async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const word of ['--port', 'KAFKA_BOOTSTRAP_SERVERS', 'REDIS_URL', '--speed', '--no-simulation']) expect(r.stdout).toContain(word);
  });
});

