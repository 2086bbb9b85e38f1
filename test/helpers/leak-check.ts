/**
 * Test files share their worker process with the files that run after them (vitest.config.ts,
 * isolate: false): each must leave the process as it found it. After a file's last test, this
 * fails the file if it left behind what would go on running in the next one: a listening server,
 * a socket, a child process, an embedded database, a change to process.env or a new global (both
 * of which it undoes); and it puts back timers a file made fake.
 */
import { afterAll, beforeAll, vi } from 'vitest';
import { PgliteStore } from '../../src/store/pglite.js';

/**
 * Kinds of resource that keep working (and costing) after their file has ended. Timers are not
 * counted: vitest's own come and go around the hooks. Node does not list an unreferenced thread,
 * so embedded databases are counted by PgliteStore itself.
 */
const LASTING = new Set(['TCPServerWrap', 'TCPSocketWrap', 'PipeWrap', 'ProcessWrap', 'MessagePort', 'Worker', 'UDPWrap', 'TTYWrap']);

const lasting = () => {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) if (LASTING.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
};

// Taken as this setup file runs, before the test file is even imported: what a file starts or
// changes at its top level (while it is collected) counts as its own.
const before = lasting();
const databases = PgliteStore.openCount();
const env: Record<string, string | undefined> = { ...process.env };
// Globals once the file's imports are done: libraries define some as they load (zod does), for good.
let globals = new Set<string>();
beforeAll(() => {
  globals = new Set(Object.getOwnPropertyNames(globalThis));
});

afterAll(async () => {
  vi.useRealTimers();
  // What closes asynchronously (a socket's last packets, a child's pipes, a thread's exit) gets up to
  // 5 s, as a process would wait for it: a moment on a quiet machine, longer on a busy one.
  const leaked = () => {
    const kinds = [...lasting()].filter(([kind, n]) => n > (before.get(kind) ?? 0)).map(([kind, n]) => `${kind} ×${n - (before.get(kind) ?? 0)}`);
    const open = PgliteStore.openCount() - databases;
    return open > 0 ? [...kinds, `embedded database ×${open}`] : kinds;
  };
  let left = leaked();
  for (let i = 0; i < 100 && left.length; i++) {
    await new Promise((r) => setTimeout(r, 50));
    left = leaked();
  }
  const changed = [...new Set([...Object.keys(env), ...Object.keys(process.env)])].filter((k) => env[k] !== process.env[k]);
  for (const k of changed) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  // A global a file defines (a browser's `window`, say) would change what code in the next file sees.
  const added = Object.getOwnPropertyNames(globalThis).filter((name) => !globals.has(name) && !name.startsWith('__vitest'));
  for (const name of added) delete (globalThis as Record<string, unknown>)[name];
  const problems = [
    ...(left.length ? [`still running after its last test: ${left.join(', ')}`] : []),
    ...(changed.length ? [`changed process.env: ${changed.join(', ')}`] : []),
    ...(added.length ? [`defined globals: ${added.join(', ')}`] : []),
  ];
  if (problems.length) throw new Error(`this file does not leave the process as it found it (the next file runs in it): ${problems.join('; ')}`);
});
