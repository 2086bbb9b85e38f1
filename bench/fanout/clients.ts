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
const closers: Array<() => void> = [];

function record(sentAt: number): void {
  frames++;
  const bucket = Math.min(histogram.length - 1, Math.max(0, Math.floor((wallNow() - sentAt) / BUCKET_MS)));
  histogram[bucket]++;
}

function percentile(p: number): number {
  const target = Math.ceil(frames * p);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= target) return (i + 1) * BUCKET_MS;
  }
  return Number.NaN;
}

async function connect(impl: string, url: string, n: number): Promise<void> {
  const opened: Array<Promise<void>> = [];
  for (let i = 0; i < n; i++) {
    if (impl === 'orderstream') {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/stream/ws?channels=all`, { perMessageDeflate: false });
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
      return process.send!({ cmd: 'reset' });
    case 'report':
      return process.send!({ cmd: 'report', frames, p50: percentile(0.5), p99: percentile(0.99), max: percentile(1) });
    case 'exit':
      for (const c of closers) c();
      process.exit(0);
  }
});
process.send!({ cmd: 'ready' });
