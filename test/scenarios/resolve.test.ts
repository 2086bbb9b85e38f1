import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioProfile } from '../../src/domain/scenario.js';
import { BUILT_IN_SCENARIOS } from '../../src/scenarios/builtin.js';
import { getScenario, loadScenarioFile, resolveScenario } from '../../src/scenarios/resolve.js';

const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('built-in scenarios', () => {
  it('are the six of spec 002, each a valid profile', () => {
    expect(BUILT_IN_SCENARIOS.map((s) => s.name)).toEqual(['normal-ops', 'peak-season', 'anomaly-heavy', 'warehouse-outage', 'growth-phase', 'payment-crisis']);
    for (const s of BUILT_IN_SCENARIOS) expect(ScenarioProfile.safeParse(s).success).toBe(true);
  });

  it('carry spec 002\'s anomaly rates and characteristics', () => {
    const rate = Object.fromEntries(BUILT_IN_SCENARIOS.map((s) => [s.name, s.anomalyRate]));
    expect(rate).toEqual({ 'normal-ops': 0.05, 'peak-season': 0.15, 'anomaly-heavy': 0.4, 'warehouse-outage': 0.6, 'growth-phase': 0.08, 'payment-crisis': 0.25 });
    expect(getScenario('peak-season').volume.orderFactor).toBe(3);
    expect(getScenario('growth-phase').volume.companyFactor).toBe(2);
    expect(getScenario('growth-phase').volume.monthlyGrowth).toBeGreaterThan(0);
    expect(getScenario('payment-crisis').overduePaymentRate).toBe(0.3);
  });

  it('names the allowed scenarios when one is unknown', () => {
    expect(() => getScenario('nope')).toThrow(/unknown scenario 'nope'. Allowed: normal-ops, peak-season/);
  });
});

describe('custom scenario files', () => {
  it('extend a built-in and override only what they name', () => {
    const s = loadScenarioFile(file('rush.json', { name: 'rush-test', extends: 'peak-season', anomalyRate: 0.2, entityVolumes: { ordersPerDay: 100 } }));
    expect(s.name).toBe('rush-test');
    expect(s.anomalyRate).toBe(0.2);
    expect(s.entityVolumes.ordersPerDay).toBe(100);
    expect(s.entityVolumes.companies).toBe(100); // inherited
    expect(s.volume.orderFactor).toBe(3); // from peak-season
  });

  it('extend another file, resolved relative to the extending file', () => {
    file('base.json', { name: 'base', anomalyRate: 0.3 });
    const s = loadScenarioFile(file('child.json', { name: 'child', extends: './base.json', overduePaymentRate: 0.1 }));
    expect([s.anomalyRate, s.overduePaymentRate]).toEqual([0.3, 0.1]);
  });

  it('change the pattern mix (spec 000 test scenario: rush 0.3)', () => {
    const patterns = { rush_orders: { frequency: 0.3 }, regular_orders: { frequency: 0.4 } };
    const s = loadScenarioFile(file('rush30.json', { name: 'rush30', patterns }));
    expect(s.patterns.rush_orders).toEqual({ frequency: 0.3, priority: 'urgent', deliveryDays: 1 });
  });

  it.each([
    ['not JSON', '{ name: ', /not valid JSON/],
    ['an unknown key', { name: 'x', anomalyRat: 0.1 }, /Unrecognized key.*anomalyRat/],
    ['a rate above 1', { name: 'x', anomalyRate: 1.5 }, /anomalyRate/],
    ['frequencies that do not add up', { name: 'x', patterns: { rush_orders: { frequency: 0.5 } } }, /pattern frequencies must add up to 1 \(they add up to 1\.4\)/],
    ['a bad name', { name: 'Bad Name' }, /name: use lowercase letters/],
    ['an unknown parent', { name: 'x', extends: 'nope' }, /• extends: unknown scenario 'nope'; allowed: a built-in scenario \(normal-ops, .*\) or the path of another scenario file/],
    ['no name', { anomalyRate: 0.1 }, /• name: required: the scenario's name/],
    ['an unknown parent and a bad name (both named)', { name: 'Bad Name', extends: 'nope' }, /• extends: unknown scenario 'nope'.*\n\s*• name: use lowercase letters/],
  ])('reject %s with a message naming the problem', (_, content, message) => {
    expect(() => loadScenarioFile(file(`bad-${Math.random()}.json`, content))).toThrow(message);
  });

  it('names every problem at once: a missing name does not hide the rest', () => {
    const path = file(`bad-${Math.random()}.json`, { patterns: { rush_orders: { frequency: 0.9 } }, anomalyRat: 0.1 });
    let message = '';
    try {
      loadScenarioFile(path);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/is invalid:\n/);
    expect(message).toMatch(/• name: required/);
    expect(message).toMatch(/• patterns: pattern frequencies must add up to 1 \(they add up to 1\.8\)/);
    expect(message).toMatch(/anomalyRat/);
  });

  it('reject an extends cycle', () => {
    file('a.json', { name: 'a', extends: './b.json' });
    file('b.json', { name: 'b', extends: './a.json' });
    expect(() => loadScenarioFile(join(dir, 'a.json'))).toThrow(/cycle/);
  });

  it('reject a missing file and both flags at once', () => {
    expect(() => loadScenarioFile(join(dir, 'missing.json'))).toThrow(/cannot read scenario file.*ENOENT/);
    expect(() => resolveScenario({ scenario: 'normal-ops', scenarioFile: 'x.json' })).toThrow(/either --scenario or --scenario-file/);
  });
});
