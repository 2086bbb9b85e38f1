/**
 * Test files share their worker process with the files that run after them (vitest.config.ts,
 * isolate: false): each must leave the process as it found it. After a file's last test, this
 * fails the file if it left behind what would go on running in the next one: a listening server, a
 * socket, a child process, or a change to process.env (which it puts back); and it puts back
 * timers a file made fake.
 */
import { afterAll, beforeAll, vi } from 'vitest';

/**
 * Kinds of resource that keep working (and costing) after their file has ended. Timers are not
 * counted: vitest's own come and go around the hooks. Unreferenced handles (an embedded database's
 * thread) are not listed by Node at all: those a file must close by its own discipline.
 */
const LASTING = new Set(['TCPServerWrap', 'TCPSocketWrap', 'PipeWrap', 'ProcessWrap', 'MessagePort', 'Worker', 'UDPWrap', 'TTYWrap']);

const lasting = () => {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) if (LASTING.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
};

let before = new Map<string, number>();
let env: Record<string, string | undefined> = {};

beforeAll(() => {
  before = lasting();
  env = { ...process.env };
});

afterAll(async () => {
  vi.useRealTimers();
  // What closes asynchronously (a socket's last packets, a thread's exit) gets a moment, as a waiting process would give it.
  const leaked = async () => {
    const now = lasting();
    return [...now].filter(([kind, n]) => n > (before.get(kind) ?? 0)).map(([kind, n]) => `${kind} ×${n - (before.get(kind) ?? 0)}`);
  };
  let left = await leaked();
  for (let i = 0; i < 40 && left.length; i++) {
    await new Promise((r) => setTimeout(r, 50));
    left = await leaked();
  }
  const changed = [...new Set([...Object.keys(env), ...Object.keys(process.env)])].filter((k) => env[k] !== process.env[k]);
  for (const k of changed) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  const problems = [...(left.length ? [`still running after its last test: ${left.join(', ')}`] : []), ...(changed.length ? [`changed process.env: ${changed.join(', ')}`] : [])];
  if (problems.length) throw new Error(`this file does not leave the process as it found it (the next file runs in it): ${problems.join('; ')}`);
});
