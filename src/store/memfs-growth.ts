/**
 * Files of the in-memory embedded database that grow in place.
 *
 * PGlite keeps an in-memory database's files in Emscripten's MEMFS, where a file is one
 * Uint8Array. Past 1 MB, a write beyond its capacity allocates an array 1.125× larger and
 * copies the whole file into it. A table, an index or a WAL segment that grows steadily is
 * thus copied whole every eighth of its size: 918 MB copied in 20 s of the live writer at
 * 1,000 events/s, in pauses of up to 67 ms, each of them a statement (usually a COMMIT) that
 * every published event waited for. Neither PGlite nor Emscripten has a setting for this,
 * hence this replacement, installed on the database's own thread.
 *
 * Here a file that outgrows its array moves once into a resizable ArrayBuffer (the address
 * space is reserved up to PostgreSQL's largest file, a 1 GB segment; memory is committed
 * only as pages are written), and grows from then on by resizing it: nothing is copied.
 */

/** PostgreSQL splits a relation into 1 GB segment files, and a WAL segment is 16 MB: no data file grows past this. */
const MAX_FILE_BYTES = 2 ** 30 + 2 ** 20;
/** Resized in steps of at least this much (a resize is a system call). */
const STEP_BYTES = 2 ** 16;

/** A MEMFS file node: its array (capacity = length) and the bytes of it in use. */
export interface MemfsNode {
  contents: Uint8Array | null;
  usedBytes: number;
}

/** ES2024's resizable ArrayBuffer (in Node.js since 20; the project's TypeScript lib is ES2022). */
interface ResizableArrayBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

interface Memfs {
  expandFileStorage(node: MemfsNode, needed: number): void;
}

/** Makes `node`'s array hold at least `needed` bytes, keeping its first `usedBytes`; never copies a resizable one. */
export function growInPlace(node: MemfsNode, needed: number): void {
  const current = node.contents;
  const capacity = current ? current.length : 0;
  if (capacity >= needed) return;
  const size = Math.min(Math.max(needed, Math.ceil((capacity * 1.125) / STEP_BYTES) * STEP_BYTES), Math.max(needed, MAX_FILE_BYTES));
  const buffer = current?.buffer as ResizableArrayBuffer | undefined;
  if (buffer instanceof ArrayBuffer && buffer.resizable && current!.byteOffset === 0 && size <= buffer.maxByteLength) {
    buffer.resize(size);
    // A view made without a length follows the buffer as it grows; one made with a length is replaced by such a view (no copy).
    if (current!.length < size) node.contents = new Uint8Array(buffer);
    return;
  }
  let grown: Uint8Array;
  try {
    grown = new Uint8Array(new ResizableArrayBuffer(size, { maxByteLength: Math.max(size, MAX_FILE_BYTES) }));
  } catch {
    // No address space to reserve (a `ulimit -v`, a V8 sandbox): a plain array, copied when it grows, as Emscripten does.
    grown = new Uint8Array(size);
  }
  if (current && node.usedBytes) grown.set(current.subarray(0, node.usedBytes));
  node.contents = grown;
}

/**
 * Installs growInPlace on the MEMFS of a PGlite instance (its root file system). Returns false,
 * changing nothing, when this PGlite does not expose it as expected (another version): files
 * then grow as Emscripten makes them, which is slower, not wrong.
 */
export function installGrowInPlace(pglite: unknown): boolean {
  const fs = (pglite as { mod?: { FS?: { root?: { mount?: { type?: Partial<Memfs> } } } } }).mod?.FS;
  const memfs = fs?.root?.mount?.type;
  if (!memfs || typeof memfs.expandFileStorage !== 'function') return false;
  memfs.expandFileStorage = growInPlace;
  return true;
}
