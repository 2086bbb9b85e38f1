/** The thread `generateInThread` starts: one `generate()` run, its progress and its outcome posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import { generate, type GenerateRequest } from './generate.js';
import { describeThrown, rethrown, type FromRunThread, type ToRunThread } from './generate-thread.js';

const abort = new AbortController();
const port = parentPort!;
port.on('message', (msg: ToRunThread) => abort.abort(rethrown(msg.reason)));
// Not kept alive by the port: the thread ends when the run has let go of everything.
port.unref();

const post = (msg: FromRunThread) => port.postMessage(msg);
generate(workerData as GenerateRequest, { onProgress: (progress) => post({ kind: 'progress', progress }), signal: abort.signal }).then(
  (result) => post({ kind: 'done', result }),
  (err: unknown) => post({ kind: 'failed', error: describeThrown(err) }),
);
