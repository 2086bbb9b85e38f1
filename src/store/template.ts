/**
 * Templates of the embedded database: a new database starts as a copy of a migrated one's
 * files (one to two seconds) instead of being created and migrated (PostgreSQL's initdb in
 * WebAssembly and the migrations: five to eight seconds here). Two kinds:
 *
 *  - the shipped template, made by `npm run build` (make-template.ts) into dist/ and packed
 *    with the package: a first `orderstream serve` starts from it. Only read.
 *  - ORDERSTREAM_PGLITE_TEMPLATES, a directory where the first new database leaves a copy of
 *    its files for the later ones (test suites that open many throwaway databases).
 *
 * Both are named by the PGlite version and the migrations, so a change to either makes
 * a stale file simply not match: the database is then made the long way.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../domain/errors.js';
import { MIGRATIONS } from './migrate.js';

export interface TemplateChoice {
  path: string;
  /** Whether a new database made the long way leaves its files here (the shipped one is only read). */
  saveHere: boolean;
}

/** The template a new embedded database starts from, or null: none is configured or shipped for this version. */
export function chooseTemplate(): TemplateChoice | null {
  const dir = process.env.ORDERSTREAM_PGLITE_TEMPLATES;
  if (dir) return { path: join(templateDirectory(dir), templateName('tar')), saveHere: true };
  const shipped = shippedTemplatePath();
  return existsSync(shipped) ? { path: shipped, saveHere: false } : null;
}

/** Where `npm run build` leaves the shipped template: dist/pglite-template/, from the built code or (tests) the sources. */
export function shippedTemplatePath(): string {
  const built = new URL('../../pglite-template/', import.meta.url);
  const fromSources = new URL('../../dist/pglite-template/', import.meta.url);
  const dir = import.meta.url.endsWith('.ts') ? fromSources : built;
  return join(fileURLToPath(dir), templateName('tar.gz'));
}

function templateDirectory(dir: string): string {
  const absolute = resolve(dir);
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (err) {
    throw new UsageError(`ORDERSTREAM_PGLITE_TEMPLATES names ${absolute}, which cannot be made a directory: ${(err as Error).message}`);
  }
  return absolute;
}

export const TEMPLATE_FILE = /^orderstream-pglite-[0-9a-f]{16}\.tar(\.gz)?$/;

/** Bumped when what a template holds changes other than by a migration or PGlite's version (how the database is opened or migrated). */
const TEMPLATE_FORMAT = 3; // 3: without PostgreSQL's template databases (pglite-worker.ts)

/** The same for the life of the process (PGlite's version and the migrations are what it loaded): made once, not at every open. */
let key: string | null = null;

function templateName(extension: 'tar' | 'tar.gz'): string {
  key ??= createHash('sha256')
    .update(`${TEMPLATE_FORMAT}\0${pgliteVersion()}`)
    .update(MIGRATIONS.map((m) => `${m.version}\0${m.sql}`).join('\0'))
    .digest('hex')
    .slice(0, 16);
  return `orderstream-pglite-${key}.${extension}`;
}

/** A template's modification time is when it was last used (best effort: a read-only directory keeps it as saved). */
export function markUsed(template: string): void {
  try {
    const now = new Date();
    utimesSync(template, now, now);
  } catch {
    // Not there (another version's process pruned it) or not ours to touch: it is only a speed-up.
  }
}

/** Templates of other PGlite versions or migrations, unused for a day, are removed when a new one is saved (they would pile up). */
const TEMPLATE_UNUSED_MS = 24 * 3600 * 1000;

export function pruneTemplates(kept: string, now = Date.now()): void {
  const dir = dirname(kept);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === kept || !TEMPLATE_FILE.test(name)) continue;
    try {
      if (now - statSync(path).mtimeMs > TEMPLATE_UNUSED_MS) rmSync(path, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

function pgliteVersion(): string {
  // The package does not export its package.json; it sits above the entry point.
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json')) && dir !== dirname(dir)) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
