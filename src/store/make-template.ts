/**
 * `npm run build`'s last step: the shipped template of the embedded database (template.ts),
 * made once per PGlite version and schema. A first `orderstream serve` then opens its new
 * database in one to two seconds instead of five to eight. Quick when the file is there.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PgliteStore } from './pglite.js';
import { migrate } from './migrate.js';
import { shippedTemplatePath, TEMPLATE_FILE } from './template.js';

const path = shippedTemplatePath();
const dir = dirname(path);

/** A save in progress writes `<name>.<uuid>.partial`; one untouched this long was left by a save that crashed. */
const ABANDONED_MS = 10 * 60 * 1000;

/** Templates of another PGlite or schema (they would never match again) and abandoned saves; nothing else there is touched. */
function removeOthers(): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    const stale = TEMPLATE_FILE.test(name) ? name !== basename(path) : name.endsWith('.partial') && Date.now() - statSync(file).mtimeMs > ABANDONED_MS;
    if (stale) rmSync(file, { force: true, recursive: true });
  }
}

if (existsSync(path)) {
  removeOthers();
  process.exit(0);
}

const started = performance.now();
mkdirSync(dir, { recursive: true });
const store = await PgliteStore.open(null);
try {
  await migrate(store);
  await store.saveTemplate(path, true);
} finally {
  await store.close();
}
removeOthers();
console.log(`made the embedded database's template (${((performance.now() - started) / 1000).toFixed(1)} s): ${path}`);
