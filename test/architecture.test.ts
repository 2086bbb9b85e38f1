/**
 * The layers of docs/architecture.md hold: dependency-cruiser checks every import of src/
 * against the rules in .dependency-cruiser.cjs (each folder imports only the layers below
 * it; no cycles at run time; product code never imports tests).
 */
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('architecture', () => {
  it('every import of src/ follows the layer rules', async () => {
    const config = require('../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };
    const result = await cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } } as never);
    const output = result.output as { summary: { violations: Array<{ from: string; to: string; rule: { name: string } }>; totalCruised: number } };
    expect(output.summary.totalCruised).toBeGreaterThan(100);
    expect(output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('the rules catch a violation (the store importing the simulation)', async () => {
    const config = require('../.dependency-cruiser.cjs') as { forbidden: Array<{ name: string; from: { path: string }; to: { path: string } }> };
    const rule = config.forbidden.find((r) => r.name === 'layer-store')!;
    expect(new RegExp(rule.from.path).test('src/store/queries/orders.ts')).toBe(true);
    expect(new RegExp(rule.to.path).test('src/simulation/time.ts')).toBe(true);
    expect(new RegExp(rule.to.path).test('src/domain/ids.ts')).toBe(false);
    expect(new RegExp(rule.to.path).test('src/store/schema.ts')).toBe(false);
  });
});
