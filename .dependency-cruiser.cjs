/**
 * The layers of docs/architecture.md, checked by `npm test` (test/architecture.test.ts):
 * each folder of src/ may import only the folders listed for it. Arrows point down the
 * table; the core never imports the server, the CLI or the web app.
 */
const layers = {
  domain: [],
  random: ['domain'],
  forecast: [],
  catalog: ['domain'],
  scenarios: ['domain', 'catalog'],
  simulation: ['domain', 'random', 'forecast', 'catalog', 'scenarios'],
  hub: ['domain'],
  sinks: ['domain'],
  store: ['domain'],
  quality: ['domain'],
  batch: ['domain', 'random', 'catalog', 'scenarios', 'simulation', 'sinks'],
  jobs: ['domain', 'catalog', 'scenarios', 'simulation', 'sinks', 'store', 'batch'],
  server: ['domain', 'random', 'catalog', 'scenarios', 'simulation', 'hub', 'sinks', 'store', 'quality', 'batch', 'jobs'],
  cli: ['domain', 'random', 'catalog', 'scenarios', 'simulation', 'hub', 'sinks', 'store', 'quality', 'batch', 'jobs', 'server'],
};

const folders = Object.keys(layers);

module.exports = {
  forbidden: [
    ...folders.map((layer) => ({
      name: `layer-${layer}`,
      comment: `src/${layer} may import only: ${layers[layer].join(', ') || 'nothing of ours'} (docs/architecture.md)`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(?!${[layer, ...layers[layer]].join('|')})[^/]+/` },
    })),
    {
      name: 'no-circular',
      comment: 'modules must not depend on each other in a circle at run time (type-only imports are erased)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-tests-in-src',
      comment: 'product code never imports test or bench code',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
