/**
 * The soak's reading clients, in a worker thread of their own (plain JavaScript: a worker
 * cannot load TypeScript under vitest). At speed 600 every reader on `channels=all` gets
 * ≈3,700 events/s (≈4.5 MB/s); 150 of them in the test's own thread meant ≈550,000
 * messages/s through one event loop, which fell behind: the test process held up to
 * 30 MB unread in a single socket's receive queue (≈1 GB over all of them), until the
 * server rightly cut one reader as a slow consumer. Spread over workers, each message
 * read as bytes (the seq is the envelope's last field; no decoding, no JSON), and the seqs
 * checked as they come instead of kept (over 300 s they were ≈1 GB of arrays), the readers
 * keep up with the server they are there to test.
 *
 * workerData: { ws: string[], sse: string[] }. Posts { type: 'opened' } once every WebSocket
 * is open (or { type: 'error', message }); on 'stop', closes all and posts
 * { type: 'result', ws: Tally[], sse: Tally[] }.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const EVENT = Buffer.from('{"type":"event"');
const GAP = Buffer.from('"event_type":"stream.gap"');
const SEQ = Buffer.from('"seq":');

/** Seqs checked on arrival: nothing missed (each is the last + 1), nothing twice. */
class Tally {
  count = 0;
  last = -1;
  holes = [];
  closed = null;
  see(seq) {
    if (this.last >= 0 && seq !== this.last + 1 && this.holes.length < 20) this.holes.push(`${this.last} → ${seq}`);
    this.last = seq;
    this.count++;
  }
  toJSON() {
    return { count: this.count, last: this.last, holes: this.holes, closed: this.closed };
  }
}

/** The hub writes seq last (`…,"seq":N}`); a gap event names itself near the start. */
function seqOf(data) {
  if (data.compare(EVENT, 0, EVENT.length, 0, EVENT.length) !== 0) return null;
  if (data.subarray(0, 128).indexOf(GAP) >= 0) return null;
  const at = data.lastIndexOf(SEQ);
  if (at < 0) return JSON.parse(data.toString()).seq;
  let seq = 0;
  for (let i = at + SEQ.length; i < data.length && data[i] >= 48 && data[i] <= 57; i++) seq = seq * 10 + data[i] - 48;
  return seq;
}

function wsReader(url) {
  const tally = new Tally();
  // Text frames are taken as bytes: validating UTF-8 would be a second pass over every one.
  const socket = new WebSocket(url, { skipUTF8Validation: true });
  const opened = new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.on('message', (data) => {
    const seq = seqOf(data);
    if (seq !== null) tally.see(seq);
  });
  socket.on('close', (code, reason) => (tally.closed = { code, reason: reason.toString(), afterSeconds: secondsSinceStart(), lastSeq: tally.last }));
  return { tally, opened, stop: () => socket.close() };
}

const started = performance.now();
const secondsSinceStart = () => Math.round((performance.now() - started) / 100) / 10;

const BLANK = Buffer.from('\n\n');
const ID = Buffer.from('id: ');
const CLOSED = Buffer.from('event: stream.closed');

/**
 * SSE read as bytes too, over node:http (fetch's web stream costs a promise per chunk, and
 * fell behind as a slow consumer where this does not): blocks split on a blank line, the id
 * read from the block's start.
 */
function sseReader(url) {
  const tally = new Tally();
  let rest = Buffer.alloc(0);
  const req = http.get(url, (res) => {
    res.on('data', (chunk) => {
      const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      let end;
      while ((end = data.indexOf(BLANK, start)) >= 0) {
        const head = data.subarray(start, Math.min(end, start + 160));
        if (head.compare(ID, 0, ID.length, 0, ID.length) === 0 && head.indexOf(GAP) < 0) {
          let seq = 0;
          for (let i = ID.length; i < head.length && head[i] >= 48 && head[i] <= 57; i++) seq = seq * 10 + head[i] - 48;
          tally.see(seq);
        } else if (head.indexOf(CLOSED) === 0) {
          tally.closed = { code: 0, reason: data.subarray(start, end).toString() };
        }
        start = end + BLANK.length;
      }
      rest = data.subarray(start);
    });
    res.on('end', () => (tally.closed ??= { code: 0, reason: 'stream ended' }));
  });
  req.on('error', () => undefined); // destroyed at the end
  return { tally, stop: () => req.destroy() };
}

const ws = workerData.ws.map(wsReader);
const sse = workerData.sse.map(sseReader);
Promise.all(ws.map((r) => r.opened)).then(
  () => parentPort.postMessage({ type: 'opened' }),
  (err) => parentPort.postMessage({ type: 'error', message: err.message }),
);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  const result = { type: 'result', ws: ws.map((r) => r.tally.toJSON()), sse: sse.map((r) => r.tally.toJSON()) };
  for (const r of [...ws, ...sse]) r.stop();
  parentPort.postMessage(result);
});
