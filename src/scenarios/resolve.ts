/** Finds scenarios by name or file, resolves `extends` chains and validates the result. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ScenarioFile, ScenarioProfile } from '../domain/scenario.js';
import { UsageError, describeZodError } from '../domain/errors.js';
import { BUILT_IN_SCENARIOS } from './builtin.js';
import { deepMerge, type DeepPartial } from './merge.js';

export const SCENARIO_NAMES = BUILT_IN_SCENARIOS.map((s) => s.name);

/** `custom`: how the caller can give a scenario of its own (the CLI's flag by default; the HTTP API has none). */
export function getScenario(name: string, custom = ' (or --scenario-file FILE for a custom one)'): ScenarioProfile {
  const found = BUILT_IN_SCENARIOS.find((s) => s.name === name);
  if (!found) throw new UsageError(`unknown scenario '${name}'. Allowed: ${SCENARIO_NAMES.join(', ')}${custom}`);
  return found;
}

/**
 * Loads a custom scenario: `{ "name": "...", "extends": "peak-season" | "./other.json", ...overrides }`.
 * Overrides merge into the parent key by key; the result must be a complete, valid profile.
 */
export function loadScenarioFile(path: string, seen: string[] = []): ScenarioProfile {
  const file = resolve(path);
  if (seen.includes(file)) throw new UsageError(`scenario file ${path}: 'extends' forms a cycle (${[...seen, file].join(' → ')})`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read scenario file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`scenario file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return defineScenario(json as ScenarioDefinition, {
    source: `scenario file ${path}`,
    parent: (ref) => (ref.endsWith('.json') ? loadScenarioFile(resolve(dirname(file), ref), [...seen, file]) : getScenario(ref)),
  });
}

/** A custom scenario written in code or JSON: a name, what it extends (a built-in by name, or a profile), and any overrides. */
export type ScenarioDefinition = { name: string; extends?: string | ScenarioProfile } & DeepPartial<Omit<ScenarioProfile, 'name'>>;

/**
 * A custom scenario from its definition: overrides merge into the parent key by key, and the
 * result must be a complete, valid profile (a UsageError saying what is wrong otherwise).
 */
export function defineScenario(
  definition: ScenarioDefinition,
  opts: { source?: string; parent?: (ref: string) => ScenarioProfile } = {},
): ScenarioProfile {
  const source = opts.source ?? `scenario '${(definition as { name?: unknown }).name ?? '(unnamed)'}'`;
  // Every problem at once: the head (name, extends), what it extends, and the merged profile.
  const problems: string[] = [];
  const head = ScenarioFile.safeParse(typeof definition.extends === 'object' ? { ...definition, extends: undefined } : definition);
  if (!head.success) problems.push(describeZodError(head.error));
  const ref = definition.extends ?? 'normal-ops';
  let parent: ScenarioProfile | null = typeof ref === 'object' ? ref : null;
  if (typeof ref === 'string') {
    if (!ref.endsWith('.json') && !SCENARIO_NAMES.includes(ref)) {
      problems.push(`  • extends: unknown scenario '${ref}'; allowed: a built-in scenario (${SCENARIO_NAMES.join(', ')}) or the path of another scenario file (ending in .json)`);
    } else {
      try {
        parent = (opts.parent ?? getScenario)(ref);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        problems.push(`  • extends: ${err.message.replace(/\n/g, '\n  ')}`);
      }
    }
  }
  // Without its parent, the overrides are still checked (over normal-ops), so that their problems are named too.
  const { extends: _extends, ...overrides } = definition;
  const result = ScenarioProfile.safeParse(deepMerge<unknown>(parent ?? getScenario('normal-ops'), overrides));
  if (!result.success) problems.push(describeZodError(result.error));
  else if (parent && !problems.length) return result.data;
  throw new UsageError(`${source} is invalid:\n${problems.join('\n')}`);
}

/** --scenario NAME or --scenario-file FILE (exactly one; normal-ops when neither). */
export function resolveScenario(opts: { scenario?: string; scenarioFile?: string }): ScenarioProfile {
  if (opts.scenario && opts.scenarioFile) throw new UsageError('give either --scenario or --scenario-file, not both');
  if (opts.scenarioFile) return loadScenarioFile(opts.scenarioFile);
  return getScenario(opts.scenario ?? 'normal-ops');
}
