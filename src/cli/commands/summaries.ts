/**
 * What the root help says of each command: its term and its description, kept apart from the
 * commands so that `orderstream --help` (or an unknown command's suggestion) loads none of
 * them (it took 1.4 s, importing the server, the engine and Kafka to print a list). Each
 * command takes its description from here; a test checks the terms against the commands
 * (and the schema's name against the store's: it is written out to import nothing).
 */
export const COMMAND_SUMMARIES = {
  serve: {
    term: 'serve [options]',
    description: 'run the live server: simulation → event hub → WebSocket, SSE, Kafka, Redis (settings: environment or .env, see docs/configuration.md)',
  },
  stream: { term: 'stream [options]', description: 'stream live orders: NDJSON sale objects on stdout, and/or Kafka keyed by order_id' },
  generate: { term: 'generate [options]', description: 'generate a dataset: a dry run that prints the counts per entity, unless --out DIR is given' },
  scenarios: { term: 'scenarios [options]', description: 'list the built-in scenarios' },
  validate: { term: 'validate [options]', description: 'check a scenario (built-in or custom file) and show what it resolves to' },
  markets: { term: 'markets', description: 'list the market packs' },
  status: { term: 'status [options]', description: 'show a generation job and its progress' },
  cleanup: { term: 'cleanup [options]', description: 'delete every row in the mock_data schema (needs --confirm)' },
  toggle: { term: 'toggle [options]', description: 'enable or disable mock data writes (without a flag: show the current state)' },
  export: { term: 'export [options]', description: 'export one table as NDJSON, JSON, CSV or Parquet' },
  reconcile: {
    term: 'reconcile [options] <dir>',
    description: 'check a dataset written with `generate --events --out DIR`: every row must be the state after its last event (exit 1 naming each row that is not)',
  },
  inspect: {
    term: 'inspect [options] <dir>',
    description: 'data-quality report of a dataset written by `generate --out DIR`: counts, distributions, duplicates, coherence (exit 1 on a violation)',
  },
} as const;

export type CommandName = keyof typeof COMMAND_SUMMARIES;
