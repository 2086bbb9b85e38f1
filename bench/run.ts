/**
 * `npm run bench`: every performance target, each next to its peer measured in the same run.
 * The sections and flags are in USAGE below (`npm run bench -- --help`).
 */
import { parseArgs } from 'node:util';
import type { FanoutResult } from './fanout/index.js';
import { fmt, formatRows, verdict } from './report.js';

const SECTIONS = {
  generate: 'generation throughput (issue 2) vs plain seeded faker',
  fanout: 'WebSocket fan-out latency and delivery (issue 3) vs Socket.IO',
  kafka: 'Kafka produce rate with acks=all (issue 3)',
  store: 'bulk load into PostgreSQL vs multi-row INSERT, and PGlite (issue 4)',
  intelligence: "demand-model retraining and the analytics endpoints' latency (issue 11)",
  startup: 'npm start on a fresh data directory to the first WebSocket event (issue 14)',
  outbox: 'publish latency added by the transactional outbox, PGlite and PostgreSQL (issue 13)',
  web: 'the web app in chromium: bundle size, click-to-other-window delay, the browser under load (issue 10)',
} as const;
type Section = keyof typeof SECTIONS;

const USAGE = [
  'usage: npm run bench -- [--only <section>] [--quick] [--repeat <n>]',
  '',
  'Runs every section in turn (about 15 minutes), or the one named by --only:',
  ...Object.entries(SECTIONS).map(([name, what]) => `  ${name.padEnd(13)} ${what}`),
  '',
  '  --quick       smaller, shorter runs of every section',
  '  --repeat <n>  runs of each generate case, the best kept (1–20, default 2)',
  '  -h, --help    this text',
  '',
  'Measure on a quiet machine: nothing else running (check `uptime`).',
].join('\n');

/** The flags, checked before any section is even loaded: a typo must not start (or silently skip) a quarter of an hour of measuring. */
function parseFlags(argv: string[]): { quick: boolean; repeat: number; only: Section | null } {
  const fail = (message: string): never => {
    process.stderr.write(`bench: ${message}\n\n${USAGE}\n`);
    process.exit(2);
  };
  let values: { quick?: boolean; repeat?: string; only?: string; help?: boolean } = {};
  try {
    ({ values } = parseArgs({ args: argv, options: { quick: { type: 'boolean' }, repeat: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const only = values.only ?? null;
  if (only !== null && !Object.hasOwn(SECTIONS, only)) fail(`--only ${only}: no such section; one of ${Object.keys(SECTIONS).join(', ')}`);
  const repeat = values.repeat === undefined ? 2 : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) fail(`--repeat ${values.repeat}: a whole number from 1 to 20`);
  return { quick: values.quick ?? false, repeat, only: only as Section | null };
}

const { quick, repeat, only } = parseFlags(process.argv.slice(2));
const wanted = (section: Section) => only === null || only === section;

if (wanted('generate')) process.stdout.write(`${await (await import('./generate.js')).benchGenerate(quick, repeat)}\n`);

if (wanted('fanout')) {
  const { benchFanout } = await import('./fanout/index.js');
  const clients = 100;
  const seconds = quick ? 3 : 5;
  const results = await benchFanout({ clients, rates: [1000, 2000, 5000], seconds, clientProcesses: 2 });
  const best = (impl: FanoutResult['impl']) => {
    const runs = results.filter((r) => r.impl === impl);
    const sustained = runs.filter((r) => r.sustained);
    const pool = sustained.length ? sustained : runs;
    return { rate: Math.max(...pool.map((r) => r.framesPerSecond)), sustained: sustained.length > 0 };
  };
  const ours = best('orderstream');
  const peer = best('socketio');
  const at2000 = results.find((r) => r.impl === 'orderstream' && r.rate === 2000)!;
  const rows = results.map((r) => [
    r.impl === 'orderstream' ? 'orderstream /stream/ws' : 'peer: Socket.IO 4 (websocket transport)',
    fmt(r.rate),
    fmt(r.framesPerSecond),
    `${((100 * r.frames) / r.expected).toFixed(1)}%`,
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.max.toFixed(0),
    r.sustained ? 'yes' : 'no',
    `${r.serverCores.toFixed(2)} / ${r.clientCores.toFixed(2)}`,
  ]);
  process.stdout.write(
    [
      `WebSocket fan-out — ${clients} clients on \`all\` in 2 client processes, ${seconds} s per rate, live-simulation payloads (orders and stock events)`,
      '',
      ...formatRows(['server', 'events/s', 'frames/s delivered', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'sustained', 'cores server / clients'], rows),
      '',
      `targets (issue 3): p99 < 50 ms at 2,000 events/s: ${verdict(at2000.p99 < 50 && at2000.sustained)} (${at2000.p99.toFixed(1)} ms);` +
        ` ≥ 1.5× Socket.IO's highest sustained delivery: ${verdict(ours.rate >= 1.5 * peer.rate)} (${fmt(ours.rate)} vs ${fmt(peer.rate)} frames/s${peer.sustained ? '' : ', Socket.IO sustained no rate, so its highest delivered rate is used'}: ${(ours.rate / peer.rate).toFixed(2)}×)`,
      '',
    ].join('\n'),
  );
}

if (wanted('kafka')) {
  const { benchKafka } = await import('./kafka.js');
  const events = quick ? 100_000 : 300_000;
  const runs = [await benchKafka(events), await benchKafka(events)];
  const bestRun = runs.reduce((a, b) => (b.rate > a.rate ? b : a));
  process.stdout.write(
    [
      `Kafka produce — ${fmt(events)} event frames (avg ${Math.round(bestRun.bytes / events)} B), acks=all, idempotent, keyed by entity id, librdkafka mock cluster (3 brokers), best of 2`,
      '',
      ...formatRows(['case', 'events', 'seconds', 'events/s'], runs.map((r, i) => [`run ${i + 1}`, fmt(r.events), r.seconds.toFixed(2), fmt(r.rate)])),
      '',
      `target (issue 3): ≥ 50,000 events/s: ${verdict(bestRun.rate >= 50_000)} (${fmt(bestRun.rate)})`,
      '',
    ].join('\n'),
  );
}

if (wanted('store')) process.stdout.write(`${await (await import('./store.js')).benchStore(quick)}\n`);

if (wanted('intelligence')) process.stdout.write(`${await (await import('./intelligence.js')).benchIntelligence(quick)}\n`);

if (wanted('web')) process.stdout.write(`${await (await import('./web.js')).benchWeb(quick)}\n`);

if (wanted('startup')) process.stdout.write(`${await (await import('./startup.js')).benchStartup()}\n`);
if (wanted('outbox')) process.stdout.write(`${await (await import('./outbox.js')).benchOutbox(quick)}\n`);

// Every report is written. The outbox section's in-process servers leave a handle open that
// keeps the process alive after their close (seen on both backends, not yet traced): the
// run ends here rather than hang after its last table.
process.exit(0);
