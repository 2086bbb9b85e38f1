/**
 * The Redis fan-out's start against a peer that is not a Redis server: one that takes the
 * connection and never answers (the machine's Redis is not needed: a plain TCP server).
 */
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src/hub/hub.js';
import { RedisFanout } from '../../src/hub/redis-fanout.js';
import { waitUntil } from '../helpers/server.js';

describe('a Redis fan-out whose peer never answers', () => {
  it('gives up after its ready timeout, saying so, and close() lets go of its connections', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.resume(); // reads what the client sends, answers nothing, and so sees the client's end
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const fanout = new RedisFanout(new EventHub(100, 0), { url: `redis://127.0.0.1:${port}`, channel: 'c', serverId: 's', readyTimeoutMs: 1000 });
      await expect(fanout.start()).rejects.toThrow(/no answer within 1 s: not a Redis server, or one still loading its data/);
      expect(sockets.size).toBeGreaterThan(0); // it had connected
      await fanout.close();
      // The peer sees each connection closed (the clients neither stay nor reconnect: the leak check would see them).
      await waitUntil(() => sockets.size === 0, 20_000, 'the peer to see both connections closed');
      expect(fanout.state).toBe('closed');
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
