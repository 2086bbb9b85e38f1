/**
 * orderstream as a user's dependency: the packed tarball (`npm pack`) installed under
 * node_modules/orderstream of a fresh project, imported by its name. The library API runs
 * (generate, records, simulate, defineScenario, the schemas) and the examples type-check
 * against the packed type declarations.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

const ROOT = process.cwd();

describe('the published package', () => {
  const app = join(tempDir('orderstream-pack-'), 'app');
  beforeAll(() => {
    mkdirSync(join(app, 'node_modules', 'orderstream'), { recursive: true });
    // dist/ is built by `npm test`'s pretest; --ignore-scripts packs it as it is.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', app], { cwd: ROOT, encoding: 'utf8' })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const tarball = join(app, packed[0].filename);
    execFileSync('tar', ['-xzf', tarball, '-C', join(app, 'node_modules', 'orderstream'), '--strip-components=1']);
    // The package's dependencies, as npm would have installed them beside it.
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (entry === 'orderstream' || entry.startsWith('.')) continue;
      symlinkSync(join(ROOT, 'node_modules', entry), join(app, 'node_modules', entry));
    }
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module', private: true }));
  }, 120_000);

  it('ships the library, its types, the CLI and the docs, and no tests', () => {
    const pkg = join(app, 'node_modules', 'orderstream');
    for (const f of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'README.md', 'examples/custom-scenario.ts']) expect(existsSync(join(pkg, f)), f).toBe(true);
    // The embedded database's migrated template: a first `serve` starts from it.
    expect(readdirSync(join(pkg, 'dist', 'pglite-template'))).toEqual([expect.stringMatching(/^orderstream-pglite-[0-9a-f]{16}\.tar\.gz$/)]);
    expect(existsSync(join(pkg, 'test'))).toBe(false);
    expect(existsSync(join(pkg, 'dist', 'test'))).toBe(false);
  });

  it('import { generate, records, simulate, defineScenario } from "orderstream" works, deterministically', () => {
    writeFileSync(
      join(app, 'use.mjs'),
      `import { generate, records, simulate, defineScenario, scenarios, markets, EVENT_DATA, ENTITY_SCHEMAS } from 'orderstream';
const events = [];
for await (const e of simulate({ start: '2025-03-03T00:00:00Z', seed: 5, limit: 200 })) {
  EVENT_DATA[e.event_type].parse(e.data);
  events.push(e.event_id);
}
if (process.argv[2] === 'events-only') {
  // The second run, for determinism: the same events, and nothing else.
  console.log(JSON.stringify({ events }));
} else {
  const counted = await generate({ from: '2024-01-01', to: '2024-01-03', seed: 5 });
  const byEntity = {};
  for await (const { entity, record } of records({ from: '2024-01-01', to: '2024-01-03', seed: 5 })) {
    ENTITY_SCHEMAS[entity].parse(record);
    byEntity[entity] = (byEntity[entity] ?? 0) + 1;
  }
  // An unpaced run still lets timers run: a stop() from a timeout ends it within a few hundred events.
  const unpaced = simulate({ start: '2025-03-03T00:00:00Z', seed: 5 });
  setTimeout(() => unpaced.stop(), 0);
  let untilStop = 0;
  for await (const _ of unpaced) untilStop++;
  const custom = defineScenario({ name: 'slow', extends: 'peak-season', stock: { leadTimeFactor: 2 } });
  let refused = null;
  try { defineScenario({ name: 'bad', patterns: { rush_orders: { frequency: 3 } } }); } catch (err) { refused = err.message; }
  let badOptions = null;
  try { await generate({ from: '2024-02-30' }); } catch (err) { badOptions = err.message; }
  console.log(JSON.stringify({ untilStop, counted: counted.counts, streamed: byEntity, events, custom: custom.stock.leadTimeFactor, refused, badOptions, scenarios: Object.keys(scenarios), markets: markets.map((m) => m.id) }));
}
`,
    );
    const run = (...args: string[]) => JSON.parse(execFileSync(process.execPath, ['use.mjs', ...args], { cwd: app, encoding: 'utf8', timeout: 90_000, env: { ...process.env, NODE_ENV: 'test' } })) as Record<string, any>;
    const out = run();
    expect(out.counted.orders).toBeGreaterThan(0);
    expect(out.streamed).toEqual(Object.fromEntries(Object.entries(out.counted).filter(([, n]) => (n as number) > 0)));
    expect(out.events).toHaveLength(200);
    expect(new Set(out.events).size).toBe(200);
    expect(out.custom).toBe(2);
    expect(out.untilStop).toBeLessThan(5_000);
    expect(out.refused).toMatch(/scenario 'bad' is invalid/);
    // Bad options are named one by one, as the CLI names its flags (not a ZodError's JSON).
    expect(out.badOptions).toBe('invalid options:\n  • from: not a real calendar date');
    expect(out.scenarios).toContain('normal-ops');
    expect(out.markets).toContain('us-electronics');
    expect(run('events-only').events).toEqual(out.events); // a second process simulates the same events
  }, 120_000);

  it('the examples type-check against the packed declarations (tsc --noEmit)', () => {
    mkdirSync(join(app, 'examples'), { recursive: true });
    const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.ts'));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const f of examples) copyFileSync(join(ROOT, 'examples', f), join(app, 'examples', f));
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, include: ['examples'] }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);
});
