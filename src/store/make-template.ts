/**
 * `npm run build`'s last step: the shipped template of the embedded database (template.ts),
 * made once per PGlite version and schema. A first `orderstream serve` then opens its new
 * database in one to two seconds instead of five to eight. Quick when the file is there.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PgliteStore } from './pglite.js';
import { migrate } from './migrate.js';
import { shippedTemplatePath } from './template.js';


const path = shippedTemplatePath();
if (existsSync(path)) process.exit(0);

const started = performance.now();
mkdirSync(dirname(path), { recursive: true });
const store = await PgliteStore.open(null);
try {
  await migrate(store);
  await store.saveTemplate(path, true);
} finally {
  await store.close();
}
// One version at a time: the others are of another PGlite or schema and would never match again.
for (const name of readdirSync(dirname(path))) if (name !== basename(path)) rmSync(join(dirname(path), name), { force: true });
console.log(`made the embedded database's template (${((performance.now() - started) / 1000).toFixed(1)} s): ${path}`);
