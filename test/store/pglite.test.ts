/**
 * The embedded database on its own thread (src/store/pglite.ts + pglite-worker.ts): the
 * server's event loop turns while a statement runs, and the Store contract holds across the
 * thread boundary (transactions commit or roll back as a whole, errors keep PostgreSQL's code).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { chooseTemplate, shippedTemplatePath } from '../../src/store/template.js';
import { PgliteStore } from '../../src/store/pglite.js';
import type { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers/cli.js';

/**
 * One database made the long way serves the whole file (about 5 s of CPU each, against 1–2 s
 * from a template): the first new database of an empty template directory, opened as
 * ORDERSTREAM_PGLITE_TEMPLATES makes it. That open is itself under test below (a template that
 * is not there; the first new database leaves its files, and prunes stale ones), and the
 * thread and growth tests use the database afterwards. The directory holds two templates of
 * other versions: one unused for two days (removed when a new one is saved), one used an hour
 * ago (kept).
 */
const templates = tempDir('orderstream-templates-');
const stale = `${templates}/orderstream-pglite-0000000000000000.tar`;
const recent = `${templates}/orderstream-pglite-1111111111111111.tar`;
let templatesBefore: string | undefined;
/** What the template directory held before, and just after, the file's database was opened. */
let listedBefore: string[] = [];
let listedAfter: string[] = [];
let shared: PgliteStore;
beforeAll(async () => {
  templatesBefore = process.env.ORDERSTREAM_PGLITE_TEMPLATES;
  process.env.ORDERSTREAM_PGLITE_TEMPLATES = templates;
  writeFileSync(stale, 'old');
  writeFileSync(recent, 'other checkout');
  utimesSync(stale, new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
  utimesSync(recent, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
  listedBefore = readdirSync(templates).sort();
  shared = (await openStore({ databaseUrl: null, dataDir: null })) as PgliteStore;
  listedAfter = readdirSync(templates);
}, 60_000);
afterAll(async () => {
  await shared?.close();
  if (templatesBefore === undefined) delete process.env.ORDERSTREAM_PGLITE_TEMPLATES;
  else process.env.ORDERSTREAM_PGLITE_TEMPLATES = templatesBefore;
});

describe('the embedded database on a thread of its own', () => {
  let store: PgliteStore;
  beforeAll(async () => {
    store = shared;
    await store.query('CREATE TABLE t (id int PRIMARY KEY, note text)');
  });

  it('a statement that takes a quarter of a second leaves the event loop free meanwhile', async () => {
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    await store.query('SELECT pg_sleep(0.25)');
    running = false;
    // On the same thread, WebAssembly's sleep would have held the loop: no turn at all (a free loop turns thousands of times meanwhile).
    expect(turns).toBeGreaterThan(10);
  });

  it('a transaction commits as a whole, or rolls back as a whole when its function throws', async () => {
    await store.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1, $2)', [1, 'kept']);
      await tx.copyCsv('t', ['id', 'note'], new TextEncoder().encode('2,"copied, with a comma"\n'));
    });
    await expect(
      store.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1, $2)', [3, 'dropped']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await store.query<{ id: number; note: string }>('SELECT id, note FROM t ORDER BY id')).rows).toEqual([
      { id: 1, note: 'kept' },
      { id: 2, note: 'copied, with a comma' },
    ]);
  });

  it('errors keep PostgreSQL\'s fields, and a failed statement rolls its transaction back', async () => {
    const err = await store
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1, $2)', [4, 'before the failure']);
        await tx.query('INSERT INTO t VALUES ($1, $2)', [1, 'a duplicate']);
      })
      .catch((e: unknown) => e as Error & { code?: string });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', message: expect.stringMatching(/duplicate key/) });
    expect((await store.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = 4')).rows[0].n).toBe(0);
    // The store goes on answering.
    expect((await store.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(2);
  });

  it('statements sent without waiting run in the order sent, inside their transaction, while another transaction waits its turn', async () => {
    await store.query('CREATE TABLE seq_test (n serial PRIMARY KEY, label text)');
    const labels = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const other = store.transaction(async (tx) => void (await tx.query("INSERT INTO seq_test (label) VALUES ('other')")));
    await store.transaction(async (tx) => {
      await Promise.all(labels.map((label) => tx.query('INSERT INTO seq_test (label) VALUES ($1)', [label])));
    });
    await other;
    const rows = (await store.query<{ label: string }>('SELECT label FROM seq_test ORDER BY n')).rows.map((r) => r.label);
    expect(rows.filter((l) => l !== 'other')).toEqual(labels);
    // One transaction's statements are never split by another's.
    const mine = rows.map((l, i) => (l === 'other' ? -1 : i)).filter((i) => i >= 0);
    expect(mine[mine.length - 1] - mine[0]).toBe(labels.length - 1);
    // A failure among them rolls them all back.
    await expect(store.transaction(async (tx) => void (await Promise.all([tx.query("INSERT INTO seq_test (label) VALUES ('gone')"), tx.query('INSERT INTO seq_test (n) VALUES (1)')])))).rejects.toMatchObject({ code: '23505' });
    expect((await store.query<{ n: number }>("SELECT count(*)::int AS n FROM seq_test WHERE label = 'gone'")).rows[0].n).toBe(0);
  });

  it('a notification reaches a listener across the thread', async () => {
    const got: string[] = [];
    const listener = await store.listen('news', { onNotify: (p) => got.push(p), onDrop: () => undefined });
    await store.query("SELECT pg_notify('news', 'hello')");
    await new Promise<void>((resolve) => {
      const check = () => (got.length ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(got).toEqual(['hello']);
    await listener.close();
  });
});

describe('a template that is not there', () => {
  it('makes the database the long way', () => {
    // The file's database was opened with a template path (this version's, in ORDERSTREAM_PGLITE_TEMPLATES) that named no file.
    expect(listedBefore).toEqual(['orderstream-pglite-0000000000000000.tar', 'orderstream-pglite-1111111111111111.tar']);
    expect(shared.created).toBe(true);
  });
});

describe('a data directory that holds no database', () => {
  it('is refused with what to do, its files left as they were (never a database started over them, from a template or not)', async () => {
    const dir = `${tempDir('orderstream-half-made-')}/pg`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/postgresql.conf`, 'half-made');
    await expect(PgliteStore.open(dir)).rejects.toThrow(/holds 1 file but no database \(no PG_VERSION.*remove it to start afresh, or set ORDERSTREAM_DATA_DIR/);
    await expect(openStore({ databaseUrl: null, dataDir: dir })).rejects.toThrow(/^cannot open the embedded database: .*holds 1 file but no database/);
    expect(readdirSync(dir)).toEqual(['postgresql.conf']);
    expect(readFileSync(`${dir}/postgresql.conf`, 'utf8')).toBe('half-made');
    // The lock was let go: a directory made right opens (from the file's template: the long way costs ~5 s of CPU more, and is tested above).
    rmSync(`${dir}/postgresql.conf`);
    const store = await openStore({ databaseUrl: null, dataDir: dir });
    await store.close();
  }, 60_000);
});

describe('an in-memory embedded database that grows', () => {
  it('keeps every row of a table written in many pieces past 40 MB (its files grown in place), and a template saved from it has them', async () => {
    const store = shared;
    const template = `${tempDir('orderstream-grown-')}/grown.tar`;
    // Installed (a PGlite upgrade that hid its file system would bring the copies, and the outbox's tail, back).
    expect(store.growsInPlace).toBe(true);
    await store.query('CREATE TABLE big (id int PRIMARY KEY, pad text)');
    for (let k = 0; k < 40; k++) await store.query("INSERT INTO big SELECT g, repeat(md5(g::text), 30) FROM generate_series($1::int, $2::int) g", [k * 1000 + 1, (k + 1) * 1000]);
    const check = 'SELECT count(*)::int AS n, sum(id)::bigint AS s, sum(length(pad))::bigint AS bytes, pg_total_relation_size(\'big\')::bigint AS size FROM big';
    const { rows } = await store.query<{ n: number; s: string; bytes: string; size: string }>(check);
    expect(rows[0].n).toBe(40_000);
    expect(Number(rows[0].s)).toBe((40_000 * 40_001) / 2);
    expect(Number(rows[0].bytes)).toBe(40_000 * 960);
    expect(Number(rows[0].size)).toBeGreaterThan(40_000_000);
    await store.saveTemplate(template);
    const copy = await PgliteStore.open(null, template);
    try {
      expect(copy.growsInPlace).toBe(true);
      expect((await copy.query<{ n: number; s: string }>(check)).rows[0]).toMatchObject({ n: 40_000, s: rows[0].s });
    } finally {
      await copy.close();
    }
  }, 120_000);
});

describe('new embedded databases from a template (ORDERSTREAM_PGLITE_TEMPLATES)', () => {
  it('the first new database leaves its migrated files; later ones start as that copy and behave as a new one', async () => {
    const firstId = async (store: Store) => (await store.query<{ id: number }>("INSERT INTO orderstream.outbox (envelope) VALUES ('{}') RETURNING id")).rows[0].id;
    const migrations = async (store: Store) => (await store.query<{ version: number }>('SELECT version FROM orderstream.schema_migrations ORDER BY version')).rows.map((r) => r.version);
    // The first is the file's database (opened in the beforeAll above; the tests before this one wrote nothing to its outbox).
    const first = shared;
    expect(first.created).toBe(true);
    const kept = listedAfter;
    expect(kept).toHaveLength(2);
    expect(kept).toContain('orderstream-pglite-1111111111111111.tar');
    expect(kept.find((f) => f !== 'orderstream-pglite-1111111111111111.tar')).toMatch(/^orderstream-pglite-(?!0{16})[0-9a-f]{16}\.tar$/);
    rmSync(recent);
    const expected = { migrations: await migrations(first), id: await firstId(first) };

    const copy = (await openStore({ databaseUrl: null, dataDir: null })) as PgliteStore;
    expect(copy.created).toBe(false);
    expect({ migrations: await migrations(copy), id: await firstId(copy) }).toEqual(expected);
    // Only the database orderstream uses: PostgreSQL's template databases are left out of a template (fewer files to copy at each open).
    const databases = async (store: Store) => (await store.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY datname')).rows.map((r) => r.datname);
    expect(await databases(copy)).toEqual(['postgres']);
    await copy.close();

    // In a directory: started from the template, then kept as any database is.
    const dir = `${tempDir('orderstream-from-template-')}/pg`;
    const onDisk = (await openStore({ databaseUrl: null, dataDir: dir })) as PgliteStore;
    expect(onDisk.created).toBe(false);
    await firstId(onDisk);
    await onDisk.close();
    const reopened = (await openStore({ databaseUrl: null, dataDir: dir })) as PgliteStore;
    expect((await reopened.query<{ n: number }>('SELECT count(*)::int AS n FROM orderstream.outbox')).rows[0].n).toBe(1);
    await reopened.close();
  }, 60_000);
});

describe('the buffer cache (ORDERSTREAM_PGLITE_SHARED_BUFFERS)', () => {
  it('is PostgreSQL\'s 128 MB on disk and 16 MB in memory unless set, the size given when set, and a size it cannot use is refused before anything is opened', async () => {
    const buffers = async (dataDir: string | null) => {
      const store = await openStore({ databaseUrl: null, dataDir });
      try {
        return (await store.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0].shared_buffers;
      } finally {
        await store.close();
      }
    };
    const configured = process.env.ORDERSTREAM_PGLITE_SHARED_BUFFERS; // the suite's own (vitest.config.ts)
    try {
      delete process.env.ORDERSTREAM_PGLITE_SHARED_BUFFERS;
      // In memory, its files already are memory: a small cache, not a second copy of them (pglite-worker.ts).
      expect(await buffers(null)).toBe('16MB');
      const dir = `${tempDir('orderstream-buffers-')}/pg`;
      expect(await buffers(dir)).toBe('128MB');
      process.env.ORDERSTREAM_PGLITE_SHARED_BUFFERS = '8MB';
      expect(await buffers(dir)).toBe('8MB');
      expect(await buffers(null)).toBe('8MB');
      process.env.ORDERSTREAM_PGLITE_SHARED_BUFFERS = '128kB'; // PostgreSQL's least
      expect(await buffers(null)).toBe('128kB');
      const other = `${tempDir('orderstream-buffers-')}/pg`;
      for (const bad of ['16', '16mb', '0MB', '-1MB', 'lots', '127kB', '2GB', '1025MB']) {
        process.env.ORDERSTREAM_PGLITE_SHARED_BUFFERS = bad;
        // The setting's own message, not wrapped in advice about ORDERSTREAM_DATA_DIR.
        await expect(openStore({ databaseUrl: null, dataDir: other }), bad).rejects.toThrow(/^ORDERSTREAM_PGLITE_SHARED_BUFFERS is '.*': give a size from 128kB to 1GB, in kB, MB or GB, such as 16MB$/);
      }
      expect(existsSync(other)).toBe(false);
    } finally {
      if (configured === undefined) delete process.env.ORDERSTREAM_PGLITE_SHARED_BUFFERS;
      else process.env.ORDERSTREAM_PGLITE_SHARED_BUFFERS = configured;
    }
  }, 60_000);
});

describe('the shipped template (npm run build: dist/pglite-template/)', () => {
  it('a new database on disk starts as the migrated copy the build made, unless ORDERSTREAM_PGLITE_TEMPLATES names another place', async () => {
    const shipped = shippedTemplatePath();
    expect(shipped).toMatch(/dist\/pglite-template\/orderstream-pglite-[0-9a-f]{16}\.tar\.gz$/);
    expect(readFileSync(shipped).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    const configured = process.env.ORDERSTREAM_PGLITE_TEMPLATES;
    expect(chooseTemplate()).toMatchObject({ saveHere: true });
    delete process.env.ORDERSTREAM_PGLITE_TEMPLATES;
    try {
      expect(chooseTemplate()).toEqual({ path: shipped, saveHere: false });
      const dir = `${tempDir('orderstream-shipped-')}/pg`;
      const store = (await openStore({ databaseUrl: null, dataDir: dir })) as PgliteStore;
      try {
        expect(store.created).toBe(false);
        const { rows } = await store.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'mock_data'");
        expect(rows[0].n).toBeGreaterThan(15);
        expect((await store.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_database')).rows[0].n).toBe(1);
      } finally {
        await store.close();
      }
    } finally {
      process.env.ORDERSTREAM_PGLITE_TEMPLATES = configured;
    }
  }, 60_000);
});
