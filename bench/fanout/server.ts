/**
 * Fan-out benchmark server (a child process): either orderstream's real server (Fastify,
 * the event hub, WebSocket clients) or a Socket.IO server, publishing the same events at a
 * fixed rate when the parent asks. Each event carries `sent_at` for latency.
 */
import { createServer } from 'node:http';
import { Server as SocketIoServer } from 'socket.io';
import { ServerEnv, configFromEnv } from '../../src/domain/server-config.js';
import type { EventInput } from '../../src/hub/hub.js';
import { startServer } from '../../src/server/app.js';
import { iso } from '../../src/simulation/time.js';
import { samplePayloads, wallNow } from './payloads.js';

const impl = process.argv[2] as 'orderstream' | 'socketio';
const payloads = samplePayloads();
let publish: (i: number) => void;
let port: number;

if (impl === 'orderstream') {
  const config = configFromEnv(ServerEnv.parse({ PORT: '0', SIMULATION_ENABLED: 'false', WS_MAX_BUFFERED_BYTES: String(64 << 20), ...(process.env.STREAM_COALESCE_MS ? { STREAM_COALESCE_MS: process.env.STREAM_COALESCE_MS } : {}) }), 'bench');
  const server = await startServer(config);
  port = Number(new URL(server.url).port);
  const hub = server.state.hub;
  publish = (i) => {
    const e = payloads[i % payloads.length];
    // The send time rides in the payload (outside the contract: a benchmark's probe).
    hub.publish({ event_type: e.type, data: { ...e.data, sent_at: wallNow() }, timestamp: iso(e.t) } as unknown as EventInput);
  };
} else {
  const http = createServer();
  const io = new SocketIoServer(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  port = (http.address() as { port: number }).port;
  let seq = 0;
  publish = (i) => {
    const e = payloads[i % payloads.length];
    io.emit('event', { type: 'event', event_id: crypto.randomUUID(), event_type: e.type, timestamp: iso(e.t), data: { ...e.data, sent_at: wallNow() }, seq: ++seq });
  };
}

/** Publishes `rate` events per second for `seconds`, in 1 ms ticks, catching up on any lag. */
function run(rate: number, seconds: number): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    let sent = 0;
    const total = Math.round(rate * seconds);
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (sent < due) publish(sent++);
      if (sent >= total) return resolve(sent);
      setTimeout(tick, 1);
    };
    tick();
  });
}

process.on('message', async (msg: { cmd: string; rate: number; seconds: number }) => {
  if (msg.cmd === 'run') {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const published = await run(msg.rate, msg.seconds);
    // Let the last coalesced batch go out before measuring.
    await new Promise((r) => setTimeout(r, 50));
    const used = process.cpuUsage(cpu);
    process.send!({ cmd: 'done', published, cpuShare: (used.user + used.system) / 1000 / (performance.now() - started) });
  }
  if (msg.cmd === 'exit') process.exit(0);
});
process.send!({ cmd: 'ready', port });
