#!/usr/bin/env node
/** The orderstream command line. */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ValidationFailed } from '../batch/generate.js';
import { Interrupted, UsageError } from '../domain/errors.js';
import { VERSION } from '../domain/version.js';
import { generateCommand } from './commands/generate.js';
import { marketsCommand, scenariosCommand, validateCommand } from './commands/scenarios.js';
import { serveCommand } from './commands/serve.js';
import { cleanupCommand, exportCommand, statusCommand, toggleCommand } from './commands/store.js';
import { streamCommand } from './commands/stream.js';
import { reconcileCommand } from './commands/reconcile.js';

/**
 * A `.env` file in the working directory (or the one ORDERSTREAM_ENV_FILE names) supplies
 * settings, as twelve-factor tools and the streaming server's documented setup expect;
 * variables already set in the environment win. Node's own parser: no dependency for it.
 */
function loadEnvFile(): void {
  const file = resolvePath(process.env.ORDERSTREAM_ENV_FILE ?? '.env');
  if (!existsSync(file)) {
    if (process.env.ORDERSTREAM_ENV_FILE) throw new UsageError(`ORDERSTREAM_ENV_FILE names ${file}, which does not exist`);
    return;
  }
  try {
    process.loadEnvFile(file);
  } catch (err) {
    throw new UsageError(`cannot read the settings file ${file}: ${(err as Error).message}`);
  }
}

const program = new Command('orderstream')
  .description('Realistic, deterministic commerce data: orders, customers, stock, payments, shipments')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .addCommand(serveCommand())
  .addCommand(streamCommand())
  .addCommand(generateCommand())
  .addCommand(scenariosCommand())
  .addCommand(validateCommand())
  .addCommand(marketsCommand())
  .addCommand(statusCommand())
  .addCommand(cleanupCommand())
  .addCommand(toggleCommand())
  .addCommand(exportCommand())
  .addCommand(reconcileCommand());

program.exitOverride();
for (const command of program.commands) command.exitOverride();

try {
  loadEnvFile();
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  if (err instanceof Interrupted) {
    process.stderr.write(`orderstream: ${err.message}\n`);
    process.exit(130);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`orderstream: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof ValidationFailed) {
    process.stderr.write(`orderstream: ${err.message}\nnothing was written.\n`);
    process.exit(1);
  }
  throw err;
}
