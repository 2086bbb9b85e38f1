/**
 * Fan-out benchmark clients (a child process): N WebSocket (ws) or Socket.IO clients that
 * parse every frame and record its end-to-end latency (created → parsed) in a histogram.
 */
import { io as socketIo, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { wallNow } from './payloads.js';

const BUCKET_MS = 0.1;
const histogram = new Uint32Array(200_000); // up to 20 s
let frames = 0;
let cpuMark = process.cpuUsage();
let wallMark = performance.now();
const closers: Array<() => void> = [];

function record(sentAt: number): void {
  frames++;
  const bucket = Math.min(histogram.length - 1, Math.max(0, Math.floor((wallNow() - sentAt) / BUCKET_MS)));
  histogram[bucket]++;
}

/** The histogram without its empty tail, for the parent to merge. */
function histogramCopy(): number[] {
  let last = histogram.length - 1;
  while (last > 0 && histogram[last] === 0) last--;
  return Array.from(histogram.subarray(0, last + 1));
}

async function connect(impl: string, url: string, n: number): Promise<void> {
  const opened: Array<Promise<void>> = [];
  for (let i = 0; i < n; i++) {
    if (impl === 'orderstream') {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/stream/ws?channels=all`, { perMessageDeflate: false, skipUTF8Validation: true });
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type: string; data: { sent_at: number } };
        if (frame.type === 'event') record(frame.data.sent_at);
      });
      opened.push(new Promise((r) => ws.once('open', () => r())));
      closers.push(() => ws.terminate());
    } else {
      const s: Socket = socketIo(url, { transports: ['websocket'], forceNew: true });
      s.on('event', (envelope: { data: { sent_at: number } }) => record(envelope.data.sent_at));
      opened.push(new Promise((r) => s.once('connect', () => r())));
      closers.push(() => s.close());
    }
  }
  await Promise.all(opened);
}

process.on('message', async (msg: { cmd: string; impl: string; url: string; n: number }) => {
  switch (msg.cmd) {
    case 'connect':
      await connect(msg.impl, msg.url, msg.n);
      return process.send!({ cmd: 'connected' });
    case 'reset':
      frames = 0;
      histogram.fill(0);
      cpuMark = process.cpuUsage();
      wallMark = performance.now();
      return process.send!({ cmd: 'reset' });
    case 'report':
      const used = process.cpuUsage(cpuMark);
      return process.send!({ cmd: 'report', frames, histogram: histogramCopy(), cpuShare: (used.user + used.system) / 1000 / (performance.now() - wallMark) });
    case 'exit':
      for (const c of closers) c();
      process.exit(0);
  }
});
process.send!({ cmd: 'ready' });
